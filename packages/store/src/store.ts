/**
 * `openStore`: Postgres when a URL is given, else the embedded store in a data directory: a
 * Postgres child process by default, or PGlite (SPEC §2, §7).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_DATA_DIR } from '@to11/config';
import { bootstrap } from './bootstrap.ts';
import type { Database } from './database.ts';
import {
  connectEmbeddedPostgres,
  openEmbeddedPostgres,
  PostgresCannotRunError,
} from './engine-embedded-postgres.ts';
import { openPostgres } from './engine-postgres.ts';
import { createKeyCache } from './key-cache.ts';
import { createKeys } from './keys.ts';
import { createLimits } from './limits.ts';
import { resolveMigrationsFolder } from './migrations.ts';
import type { OnFatal } from './on-fatal.ts';
import { PG_VERSION_FILE } from './pglite-template.ts';
import { findPostgresBinaries } from './postgres-binaries.ts';
import type { EmbeddedPrestart } from './prestart.ts';
import { createSemanticVectors } from './semantic-vectors.ts';
import { createSpanStore } from './span-store.ts';
import { createTenancy } from './tenancy.ts';
import type { Store } from './types.ts';

/** Options of `openStore`. */
export interface OpenStoreOptions {
  /** `postgres://…`: use Postgres. Otherwise the embedded store in `dataDir`. */
  databaseUrl?: string;
  /**
   * The embedded store's directory (created if missing), `':memory:'` for tests (always PGlite).
   * Default `./.to11/data`.
   */
  dataDir?: string;
  /**
   * The embedded engine: `postgres` (default), a PostgreSQL server run as a child process from
   * the binaries of the installed `@embedded-postgres/<platform>` package; or `pglite`. Where
   * those binaries are missing, or the directory was made by PGlite, PGlite is used and
   * `onNotice` says why.
   */
  embeddedEngine?: 'postgres' | 'pglite';
  /** One-line notices (the embedded engine chosen instead of the one asked for). Default: stderr. */
  onNotice?: (message: string) => void;
  /** How long a verified key is trusted without a database lookup. Default 5000 ms (SPEC §9). */
  keyCacheTtlMs?: number;
  /** The drizzle migrations folder; found next to the code when not given. */
  migrationsFolder?: string;
  /** Connections per Postgres pool (queries, and span writes). Default 10. */
  poolSize?: number;
  /**
   * Embedded store only: called when its engine dies after the store opened (PGlite's worker
   * thread, or the Postgres child; every query then fails with this error). Default: the error
   * is thrown uncaught (exit code 1).
   */
  onFatal?: OnFatal;
  /**
   * Embedded store only: the server `prestartEmbeddedStore` (`@to11/store/prestart`) started
   * for this `dataDir`, connected to instead of starting one. A prestart for another directory
   * is released.
   */
  prestart?: EmbeddedPrestart | null;
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
      : await openEmbedded(options, migrationsFolder);
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

const printNotice = (message: string) => {
  process.stderr.write(`to11: ${message}\n`);
};

/** The embedded engine `options` ask for, or PGlite where the Postgres child cannot be had. */
function openEmbedded(options: OpenStoreOptions, migrationsFolder: string): Promise<Database> {
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const notice = options.onNotice ?? printNotice;
  // Loaded only when used: PGlite's own JS is ~1 MB to compile.
  const pglite = async () =>
    (await import('./engine-pglite.ts')).openPglite(dataDir, migrationsFolder, options.onFatal);
  const cannotRun = (error: unknown) => {
    if (!(error instanceof PostgresCannotRunError)) throw error;
    notice(`embedded Postgres cannot run here (${error.message}): using PGlite`);
    return pglite();
  };
  const { prestart } = options;
  if (prestart != null) {
    if (options.embeddedEngine !== 'pglite' && prestart.dataDir === resolve(dataDir)) {
      return prestart.started.then(
        (started) => connectEmbeddedPostgres(started, migrationsFolder, options.onFatal),
        cannotRun,
      );
    }
    void prestart.release();
  }
  if (options.embeddedEngine === 'pglite' || dataDir === ':memory:') return pglite();
  // A directory PGlite made before Postgres became the default: its cluster is the directory.
  if (existsSync(join(dataDir, PG_VERSION_FILE))) {
    notice(
      `the embedded store in ${dataDir} was made by PGlite: using PGlite (start on a new TO11_DATA_DIR for the embedded Postgres)`,
    );
    return pglite();
  }
  const binaries = findPostgresBinaries();
  if ('missing' in binaries) {
    notice(`embedded Postgres unavailable (${binaries.missing}): using PGlite`);
    return pglite();
  }
  return openEmbeddedPostgres(dataDir, migrationsFolder, binaries, options.onFatal).catch(
    cannotRun,
  );
}
