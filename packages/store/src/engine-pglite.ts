/** The embedded engine: PGlite (PostgreSQL in WASM), persisted in a directory or in memory. */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import type { Database } from './database.ts';
import { messageOf, StoreUnavailableError } from './errors.ts';
import * as schema from './schema/index.ts';
import { UNNEST_INSERT_SQL, unnestParams } from './span-insert-sql.ts';

/** Opens PGlite in `dataDir` (created if missing), or in memory for `':memory:'`, and migrates. */
export async function openPglite(dataDir: string, migrationsFolder: string): Promise<Database> {
  const inMemory = dataDir === ':memory:';
  const where = inMemory ? 'memory' : resolve(dataDir);
  let client: PGlite;
  try {
    if (!inMemory) mkdirSync(where, { recursive: true });
    client = inMemory ? await PGlite.create() : await PGlite.create(where);
  } catch (error) {
    throw new StoreUnavailableError(`cannot open the store in ${where}: ${messageOf(error)}`);
  }
  const db = drizzle({ client, schema, casing: 'snake_case' });
  try {
    await migrate(db, { migrationsFolder });
  } catch (error) {
    await client.close();
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
    },
  };
}
