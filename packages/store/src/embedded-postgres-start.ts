/**
 * The first half of opening the embedded Postgres (`engine-embedded-postgres.ts`): the data
 * directory locked to this process and the server running on its cluster, without the SQL
 * client. Only Node built-ins below it, so the all-in-one can start the server before it loads
 * the rest of its code (`prestart.ts`).
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lockDataDir } from './data-dir-lock.ts';
import { messageOf, StoreUnavailableError } from './errors.ts';
import type { PostgresBinaries } from './postgres-binaries.ts';
import { type PostgresChild, startPostgresChild } from './postgres-child.ts';

/**
 * The server could not be started on a new directory (the binaries do not run here, the user
 * it runs as cannot reach them): the store may use PGlite instead, nothing was stored yet.
 */
export class PostgresCannotRunError extends StoreUnavailableError {}

/** The build's cluster template, next to the migrations (`dist/drizzle/` in an app bundle). */
export const POSTGRES_TEMPLATE_FILE = 'postgres-template.tgz';

/** The cluster's directory inside the data directory. */
export const CLUSTER_DIR = 'postgres';

/** A running server on a locked data directory, not yet connected to. */
export interface StartedPostgres {
  /** The data directory, absolute. */
  readonly where: string;
  readonly child: PostgresChild;
  /** Releases the data directory's lock. */
  readonly unlock: () => void;
}

/**
 * Locks `dataDir` (created if missing) and starts the server on its cluster, made from the
 * build's template (or initdb) when it has none. Throws `PostgresCannotRunError` when the
 * server cannot run on a new directory (the directory is left as it was), else
 * `StoreUnavailableError`.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  migrationsFolder: string,
  binaries: PostgresBinaries,
): Promise<StartedPostgres> {
  const where = resolve(dataDir);
  let unlock: () => void;
  try {
    mkdirSync(where, { recursive: true });
    unlock = lockDataDir(where);
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error;
    throw new StoreUnavailableError(`cannot open the store in ${where}: ${messageOf(error)}`);
  }
  const pgdata = join(where, CLUSTER_DIR);
  const fresh = !existsSync(join(pgdata, 'PG_VERSION'));
  try {
    const template = join(migrationsFolder, POSTGRES_TEMPLATE_FILE);
    const child = await startPostgresChild(
      binaries,
      pgdata,
      existsSync(template) ? template : undefined,
    );
    return { where, child, unlock };
  } catch (error) {
    unlock();
    const message = `cannot open the store in ${where}: ${messageOf(error)}`;
    if (fresh) {
      rmSync(pgdata, { recursive: true, force: true });
      throw new PostgresCannotRunError(message);
    }
    throw new StoreUnavailableError(message);
  }
}
