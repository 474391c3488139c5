import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openStore } from '@to11/store';
import { z } from 'zod';
import { describeStore, storeLocationFromEnv } from './store-env.ts';

const journalSchema = z.object({ entries: z.array(z.object({ tag: z.string() })) });

/**
 * `to11 migrate`: opens the store named by DATABASE_URL / TO11_DATA_DIR, which applies every
 * pending migration (drizzle skips applied ones), closes it, and returns the lines to print.
 */
export async function runMigrate(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): Promise<string[]> {
  const location = storeLocationFromEnv(env, cwd);
  const migrationsFolder = findMigrationsFolder();
  const store = await openStore({ ...location, migrationsFolder });
  const { engine } = store;
  await store.close();
  const journal = journalSchema.parse(
    JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, 'utf8')),
  );
  const tags = journal.entries.map((entry) => entry.tag);
  return [
    `to11: store: ${describeStore(location, engine)}`,
    `to11: schema up to date: ${tags.length} migrations applied (${tags.join(', ')})`,
  ];
}

/**
 * The store's drizzle-kit migrations: `dist/drizzle` next to the bundle (scripts/bundle.mjs puts
 * them there), else packages/store/drizzle when running from source.
 */
function findMigrationsFolder(): string {
  const candidates = ['./drizzle/', '../../../packages/store/drizzle/'].map((path) =>
    fileURLToPath(new URL(path, import.meta.url)),
  );
  const found = candidates.find((folder) => existsSync(`${folder}/meta/_journal.json`));
  if (found === undefined)
    throw new Error('cannot find the store migrations (drizzle/meta/_journal.json)');
  return found.replace(/\/$/, '');
}
