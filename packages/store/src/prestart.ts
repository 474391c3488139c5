/**
 * `@to11/store/prestart`: the embedded Postgres started before the program that opens the
 * store has loaded the rest of its code. The all-in-one's entry calls `prestartEmbeddedStore`
 * first, then imports gateway and collector while the cluster is unpacked and the server
 * starts in its own process, and hands the prestart to `openStore`, which connects to it.
 * Only Node built-ins and the store's small start-up modules are imported from here.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type StartedPostgres, startEmbeddedPostgres } from './embedded-postgres-start.ts';
import { resolveMigrationsFolder } from './migrations.ts';
import { PG_VERSION_FILE } from './pglite-template.ts';
import { findPostgresBinaries } from './postgres-binaries.ts';

/** A server being started for the embedded store in `dataDir`. */
export interface EmbeddedPrestart {
  /** The data directory, absolute. */
  readonly dataDir: string;
  /** The started server, or why it could not start (what `openStore` would have thrown). */
  readonly started: Promise<StartedPostgres>;
  /** For a prestart `openStore` did not take: stops the server and unlocks the directory. */
  release(): Promise<void>;
}

/**
 * Starts the embedded Postgres for `dataDir` when `openStore` with the same options would
 * (engine `postgres`, a directory not made by PGlite, binaries installed); else null, and
 * `openStore` does everything itself. Never throws: a failure is in `started`.
 */
export function prestartEmbeddedStore(options: {
  dataDir: string;
  embeddedEngine?: 'postgres' | 'pglite';
  migrationsFolder?: string;
}): EmbeddedPrestart | null {
  if (options.embeddedEngine === 'pglite' || options.dataDir === ':memory:') return null;
  const dataDir = resolve(options.dataDir);
  if (existsSync(join(dataDir, PG_VERSION_FILE))) return null;
  const binaries = findPostgresBinaries();
  if ('missing' in binaries) return null;
  let migrationsFolder: string;
  try {
    migrationsFolder = resolveMigrationsFolder(options.migrationsFolder);
  } catch {
    return null;
  }
  const started = startEmbeddedPostgres(dataDir, migrationsFolder, binaries);
  // Awaited later by openStore (or release): not an unhandled rejection meanwhile.
  started.catch(() => undefined);
  let released: Promise<void> | null = null;
  return {
    dataDir,
    started,
    release() {
      released ??= started.then(
        async ({ child, unlock }) => {
          await child.stop();
          unlock();
        },
        () => undefined,
      );
      return released;
    },
  };
}
