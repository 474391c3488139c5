/** API keys: only a SHA-256 hash and an 8-character prefix of the secret are kept (SPEC §3). */
import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAtColumn, idColumn } from './columns.ts';
import { organizations } from './organizations.ts';
import { projects } from './projects.ts';

/** One row per key; ids are `key_<base32>`. */
export const apiKeys = pgTable(
  'api_keys',
  {
    ...idColumn,
    orgId: text()
      .notNull()
      .references(() => organizations.id),
    projectId: text().references(() => projects.id),
    name: text(),
    /** First 8 characters of the secret's random part, for display and lookup. */
    prefix: text().notNull(),
    /** Lowercase hex SHA-256 of the whole secret. */
    hash: text().notNull(),
    scopeClass: text({ enum: ['project', 'org'] }).notNull(),
    scopes: text().array().notNull(),
    expiresAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    ...createdAtColumn,
  },
  (t) => [
    uniqueIndex('api_keys_hash_idx').on(t.hash),
    index('api_keys_prefix_idx').on(t.prefix),
    index('api_keys_org_id_idx').on(t.orgId, t.createdAt),
    check(
      'api_keys_scope_class_check',
      sql`(${t.scopeClass} = 'project' and ${t.projectId} is not null) or (${t.scopeClass} = 'org' and ${t.projectId} is null)`,
    ),
  ],
);

/** A selected API key row. */
export type ApiKeyRow = typeof apiKeys.$inferSelect;
