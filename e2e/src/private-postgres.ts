/**
 * A Postgres server of a test's own (its own data directory and port), for fault tests that
 * stop, kill and restart the store: the machine's shared server on 5432 is never touched.
 *
 * Postgres refuses to run as root (CI runs as root), so initdb and pg_ctl run as the `postgres`
 * user through `runuser`, in a temporary directory owned by that user.
 */
import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where Debian installs the Postgres 15 server binaries. */
const BIN_DIR = '/usr/lib/postgresql/15/bin';
const SERVER_USER = 'postgres';

/** A running private Postgres server. */
export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust auth). */
  url: string;
  port: number;
  /** Stops the server: `fast` rolls back open transactions and closes every connection. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again on the same port and data directory. */
  start(): Promise<void>;
  /** Stops the server if it runs and deletes its directory. */
  dispose(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (the OS picks it; a restart keeps it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Runs a server binary as the `postgres` user (directly when that is who we are). */
async function asServerUser(binary: string, args: string[]): Promise<void> {
  const command = join(BIN_DIR, binary);
  const [file, argv] =
    userInfo().username === SERVER_USER
      ? [command, args]
      : ['runuser', ['-u', SERVER_USER, '--', command, ...args]];
  try {
    await run(file, argv, { timeout: 60_000 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${binary} ${args.join(' ')} failed: ${stderr ?? ''}${stdout ?? ''}`);
  }
}

/** Creates a fresh cluster in a temporary directory and starts it on a free port. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const root = mkdtempSync(join(tmpdir(), 'to11-pg-'));
  const dataDir = join(root, 'data');
  const logFile = join(root, 'server.log');
  const port = await freePort();
  let running = false;
  try {
    if (userInfo().username !== SERVER_USER) {
      const { stdout } = await run('id', ['-u', SERVER_USER]);
      const { stdout: gid } = await run('id', ['-g', SERVER_USER]);
      chownSync(root, Number(stdout.trim()), Number(gid.trim()));
    }
    await asServerUser('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-N']);
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = async () => {
    await asServerUser('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', options, '-w', 'start']);
    running = true;
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    await asServerUser('pg_ctl', ['-D', dataDir, '-m', mode, '-w', 'stop']);
    running = false;
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop,
    start,
    dispose: async () => {
      if (running) await stop('immediate').catch(() => {});
      rmSync(root, { recursive: true, force: true });
    },
  };
}
