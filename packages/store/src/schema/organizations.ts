/** Organizations: the tenant at the top of SPEC §3. */
import { pgTable, text } from 'drizzle-orm/pg-core';
import { createdAtColumn, idColumn } from './columns.ts';

/** One row per organization; ids are `org_<base32>`. */
export const organizations = pgTable('organizations', {
  ...idColumn,
  name: text().notNull(),
  ...createdAtColumn,
});
