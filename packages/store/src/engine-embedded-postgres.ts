/**
 * The default embedded engine: a PostgreSQL server that to11 owns as a child process
 * (`postgres-child.ts`), its cluster in `<dataDir>/postgres`, reached over its unix socket with
 * the same postgres.js engine as a server store.
 */
import { join } from 'node:path';
import type { Database } from './database.ts';
import { type StartedPostgres, startEmbeddedPostgres } from './embedded-postgres-start.ts';
import { openPostgres } from './engine-postgres.ts';
import { messageOf, StoreUnavailableError } from './errors.ts';
import { type OnFatal, throwUncaught } from './on-fatal.ts';
import type { PostgresBinaries } from './postgres-binaries.ts';
import { type PostgresChild, SOCKET_PORT } from './postgres-child.ts';

export {
  CLUSTER_DIR,
  POSTGRES_TEMPLATE_FILE,
  PostgresCannotRunError,
} from './embedded-postgres-start.ts';

/** Connections per pool (two pools: queries, and raw SQL with the span COPYs). */
const POOL_SIZE = 4;

/** The Postgres children of the stores open in this process (`embeddedPostgres` in testing.ts). */
export const liveChildren = new Set<PostgresChild>();

/**
 * Opens the embedded Postgres in `dataDir` (created if missing, locked to this process):
 * the cluster from the template (or initdb) on the first start, then the server, then
 * migrations when the schema is behind. `onFatal` hears of the server exiting while the store
 * is open (every query fails after it).
 */
export async function openEmbeddedPostgres(
  dataDir: string,
  migrationsFolder: string,
  binaries: PostgresBinaries,
  onFatal: OnFatal = throwUncaught,
): Promise<Database> {
  const started = await startEmbeddedPostgres(dataDir, migrationsFolder, binaries);
  return connectEmbeddedPostgres(started, migrationsFolder, onFatal);
}

/**
 * The second half of `openEmbeddedPostgres`: the SQL client on a started server, migrations
 * when the schema is behind. On failure the server is stopped and the directory unlocked.
 */
export async function connectEmbeddedPostgres(
  started: StartedPostgres,
  migrationsFolder: string,
  onFatal: OnFatal = throwUncaught,
): Promise<Database> {
  const { where, child: running, unlock } = started;
  let database: Database;
  try {
    database = await openPostgres(
      'postgres://postgres@localhost/postgres',
      migrationsFolder,
      POOL_SIZE,
      {
        path: join(running.socketDir, `.s.PGSQL.${SOCKET_PORT}`),
      },
    );
  } catch (error) {
    await running.stop();
    unlock();
    throw new StoreUnavailableError(`cannot open the store in ${where}: ${messageOf(error)}`);
  }
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
