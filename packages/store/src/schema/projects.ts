/** Projects: every span and project key belongs to one (SPEC §3). */
import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAtColumn, idColumn } from './columns.ts';
import { organizations } from './organizations.ts';

/** One row per project; ids are `proj_<base32>`. */
export const projects = pgTable(
  'projects',
  {
    ...idColumn,
    orgId: text()
      .notNull()
      .references(() => organizations.id),
    name: text().notNull(),
    ...createdAtColumn,
  },
  (t) => [index('projects_org_id_idx').on(t.orgId, t.createdAt)],
);
