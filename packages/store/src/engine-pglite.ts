/** The embedded engine: PGlite (PostgreSQL in WASM), persisted in a directory or in memory. */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { lockDataDir } from './data-dir-lock.ts';
import type { Database } from './database.ts';
import { messageOf, StoreUnavailableError } from './errors.ts';
import { schemaIsCurrent } from './migrations.ts';
import * as schema from './schema/index.ts';
import { UNNEST_INSERT_SQL, unnestParams } from './span-insert-sql.ts';

/** A data directory made by `scripts/pglite-template.mjs` at build time (initdb + migrations). */
export const TEMPLATE_FILE = 'pglite-template.tgz';

/**
 * PGlite's options for `where`: a new data directory starts from the build's template when
 * there is one (no initdb in this process: it runs a second PGlite instance whose memory stays
 * resident), else PGlite runs initdb.
 */
function createOptions(where: string, migrationsFolder: string) {
  const template = join(migrationsFolder, TEMPLATE_FILE);
  const extensions = { vector };
  if (existsSync(join(where, 'PG_VERSION')) || !existsSync(template)) return { extensions };
  return { extensions, loadDataDir: new Blob([readFileSync(template)]) };
}

/**
 * Opens PGlite in `dataDir` (created if missing, locked to this process), or in memory for
 * `':memory:'`, and migrates when the schema is behind.
 */
export async function openPglite(dataDir: string, migrationsFolder: string): Promise<Database> {
  const inMemory = dataDir === ':memory:';
  const where = inMemory ? 'memory' : resolve(dataDir);
  let client: PGlite;
  let unlock: () => void = () => undefined;
  try {
    if (!inMemory) {
      mkdirSync(where, { recursive: true });
      unlock = lockDataDir(where);
    }
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error;
    throw new StoreUnavailableError(`cannot open the store in ${where}: ${messageOf(error)}`);
  }
  try {
    client = inMemory
      ? await PGlite.create({ extensions: { vector } })
      : await PGlite.create(where, createOptions(where, migrationsFolder));
  } catch (error) {
    unlock();
    throw new StoreUnavailableError(`cannot open the store in ${where}: ${messageOf(error)}`);
  }
  const db = drizzle({ client, schema, casing: 'snake_case' });
  try {
    const current = await schemaIsCurrent(
      async (text) => (await client.query<{ created_at: string }>(text)).rows,
      migrationsFolder,
    );
    if (!current) await migrate(db, { migrationsFolder });
  } catch (error) {
    await client.close();
    unlock();
    throw error;
  }
  return {
    engine: 'pglite',
    db,
    raw: {
      async query<T extends object>(text: string, params?: unknown[]) {
        return (await client.query<T>(text, params)).rows;
      },
      transaction(fn) {
        return client.transaction((tx) =>
          fn({
            async query<T extends object>(text: string, params?: unknown[]) {
              return (await tx.query<T>(text, params)).rows;
            },
          }),
        );
      },
    },
    async insertSpanRows(rows) {
      await client.query(UNNEST_INSERT_SQL, unnestParams(rows));
    },
    async close() {
      if (!client.closed) await client.close();
      unlock();
    },
  };
}
