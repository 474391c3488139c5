/** Opening PGlite itself (in the store's worker thread): settings, the template, migrations. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { schemaIsCurrent } from './migrations.ts';
import { PG_VERSION_FILE, TEMPLATE_FILE, unpackTemplate } from './pglite-template.ts';

/**
 * PGlite's start parameters: its defaults (single-user backend, no fsync: a commit's WAL is
 * written to the kernel before the query returns, so it survives kill -9 of the process, not
 * a power cut), with 16 MB of shared buffers instead of Postgres's 128 MB. The buffers live in
 * the WASM memory and are touched at start: 128 MB made the process ~110 MB larger and its
 * start ~1 s slower; the OS page cache still holds the data files.
 */
export const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

/**
 * Opens PGlite in `where` (an absolute directory, or `'memory'`) and migrates when the schema
 * is behind. A new directory starts from the build's template when there is one (no initdb,
 * no migrations), unpacked natively; else PGlite runs initdb.
 */
export async function openPgliteClient(where: string, migrationsFolder: string): Promise<PGlite> {
  const template = join(migrationsFolder, TEMPLATE_FILE);
  // pgvector is loaded for the semantic cache's `store = "postgres"` (apps/gateway/src/cache).
  const options: PGliteOptions = { startParams: PGLITE_START_PARAMS, extensions: { vector } };
  if (existsSync(template)) {
    if (where === 'memory') options.loadDataDir = new Blob([readFileSync(template)]);
    else if (!existsSync(join(where, PG_VERSION_FILE))) {
      unpackTemplate(readFileSync(template), where);
    }
  }
  const client =
    where === 'memory' ? await PGlite.create(options) : await PGlite.create(where, options);
  try {
    const current = await schemaIsCurrent(
      async (text) => (await client.query<{ created_at: string }>(text)).rows,
      migrationsFolder,
    );
    if (!current) await migrate(drizzle({ client }), { migrationsFolder });
  } catch (error) {
    await client.close();
    throw error;
  }
  return client;
}
