/** Column groups shared by several tables (STYLE §11). */
import { text, timestamp } from 'drizzle-orm/pg-core';

/** A text primary key holding a prefixed id (`org_…`, `proj_…`, `key_…`). */
export const idColumn = {
  id: text().primaryKey(),
};

/** Creation time, set by the database. */
export const createdAtColumn = {
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
};
