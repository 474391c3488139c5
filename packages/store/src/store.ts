/** `openStore`: Postgres when a URL is given, else embedded PGlite (SPEC §2, §7). */
import { DEFAULT_DATA_DIR } from '@to11/config';
import { bootstrap } from './bootstrap.ts';
import type { Database } from './database.ts';
import { type OnFatal, openPglite } from './engine-pglite.ts';
import { openPostgres } from './engine-postgres.ts';
import { createKeyCache } from './key-cache.ts';
import { createKeys } from './keys.ts';
import { createLimits } from './limits.ts';
import { resolveMigrationsFolder } from './migrations.ts';
import { createSemanticVectors } from './semantic-vectors.ts';
import { createSpanStore } from './span-store.ts';
import { createTenancy } from './tenancy.ts';
import type { Store } from './types.ts';

/** Options of `openStore`. */
export interface OpenStoreOptions {
  /** `postgres://…`: use Postgres. Otherwise PGlite in `dataDir`. */
  databaseUrl?: string;
  /** PGlite data directory (created if missing), `':memory:'` for tests. Default `./.to11/data`. */
  dataDir?: string;
  /** How long a verified key is trusted without a database lookup. Default 5000 ms (SPEC §9). */
  keyCacheTtlMs?: number;
  /** The drizzle migrations folder; found next to the code when not given. */
  migrationsFolder?: string;
  /** Connections per Postgres pool (queries, and span writes). Default 10. */
  poolSize?: number;
  /**
   * PGlite only: called when the store's worker thread dies after the store opened (every
   * query then fails with this error). Default: the error is thrown uncaught (exit code 1).
   */
  onFatal?: OnFatal;
}

/**
 * Opens the store and applies migrations. Throws `StoreUnavailableError` when the database cannot
 * be reached or opened; its message names the URL without a password.
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const migrationsFolder = resolveMigrationsFolder(options.migrationsFolder);
  const database: Database =
    options.databaseUrl !== undefined && options.databaseUrl !== ''
      ? await openPostgres(options.databaseUrl, migrationsFolder, options.poolSize ?? 10)
      : await openPglite(options.dataDir ?? DEFAULT_DATA_DIR, migrationsFolder, options.onFatal);
  const { db } = database;
  const cache = createKeyCache(options.keyCacheTtlMs ?? 5000);
  let closing: Promise<void> | null = null;
  return {
    engine: database.engine,
    async ping() {
      try {
        await database.raw.query('select 1');
        return true;
      } catch {
        return false;
      }
    },
    ...createTenancy(db),
    keys: createKeys(db, cache),
    limits: createLimits(db),
    semanticVectors: createSemanticVectors(database.raw),
    spans: createSpanStore(database),
    bootstrap: (bootstrapOptions = {}) => bootstrap(db, bootstrapOptions.apiKey),
    close() {
      closing ??= database.close();
      return closing;
    },
  };
}
