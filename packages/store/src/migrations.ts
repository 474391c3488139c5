/** Where the drizzle-kit migrations are, from source and from an esbuild bundle. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The migrations folder: `explicit` when given; else `./drizzle/` next to this module (an app
 * bundle, where scripts/bundle.mjs copies them to dist/drizzle); else `../drizzle/` (source).
 */
export function resolveMigrationsFolder(explicit?: string): string {
  if (explicit !== undefined) return explicit;
  const candidates = [
    new URL('./drizzle/', import.meta.url),
    new URL('../drizzle/', import.meta.url),
  ];
  for (const candidate of candidates) {
    const folder = fileURLToPath(candidate);
    if (existsSync(join(folder, 'meta', '_journal.json'))) return folder;
  }
  throw new Error(
    `cannot find the store migrations (drizzle/meta/_journal.json) next to ${fileURLToPath(import.meta.url)}`,
  );
}

/** The `when` of the last migration in the folder's journal (drizzle stores it as `created_at`). */
export function lastMigrationWhen(migrationsFolder: string): number {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8'));
  const entries = (journal as { entries: { when: number }[] }).entries;
  return Math.max(0, ...entries.map((entry) => entry.when));
}

/**
 * Whether the database already has every migration of the folder, read from drizzle's own
 * bookkeeping table with one query: a start on a current schema skips drizzle's migrator (which
 * reads and hashes every migration file and opens a transaction). Any error (no table yet)
 * means "not current", and the migrator runs as before.
 */
export async function schemaIsCurrent(
  query: (text: string) => Promise<{ created_at: string | number }[]>,
  migrationsFolder: string,
): Promise<boolean> {
  try {
    const rows = await query(
      'select created_at from drizzle.__drizzle_migrations order by created_at desc limit 1',
    );
    const applied = Number(rows[0]?.created_at ?? 0);
    return applied >= lastMigrationWhen(migrationsFolder);
  } catch {
    return false;
  }
}
