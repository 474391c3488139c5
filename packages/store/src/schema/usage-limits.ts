/**
 * Rate limits and budgets of one API key or one project (SPEC §10 "Shared state"). A null
 * column means "not set here": the gateway then uses the `[limits.key]` / `[limits.project]`
 * default of its to11.toml, or no limit.
 */
import { sql } from 'drizzle-orm';
import {
  check,
  doublePrecision,
  index,
  integer,
  pgTable,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { organizations } from './organizations.ts';

/** One row per limited subject; the subject id is a `key_…` or `proj_…` id. */
export const usageLimits = pgTable(
  'usage_limits',
  {
    subjectId: text().primaryKey(),
    subjectKind: text({ enum: ['key', 'project'] }).notNull(),
    orgId: text()
      .notNull()
      .references(() => organizations.id),
    requestsPerMinute: integer(),
    tokensPerMinute: integer(),
    usdPerDay: doublePrecision(),
    usdPerMonth: doublePrecision(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('usage_limits_org_id_idx').on(t.orgId),
    check('usage_limits_subject_kind_check', sql`${t.subjectKind} in ('key', 'project')`),
  ],
);

/** A selected limits row. */
export type UsageLimitsRow = typeof usageLimits.$inferSelect;
