/** Where the drizzle-kit migrations are, from source and from an esbuild bundle. */
import { existsSync } from 'node:fs';
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
