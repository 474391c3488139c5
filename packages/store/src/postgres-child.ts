/**
 * The embedded engine's PostgreSQL server, a child process of to11: `initdb` on the first start
 * of a data directory, then the postmaster, reachable only on a unix socket in its data
 * directory (`listen_addresses = ''`: no TCP at all).
 *
 * The postmaster runs under a small `sh` watchdog whose stdin is a pipe from this process. The
 * pipe closes when to11 exits in any way, kill -9 included, and the watchdog then asks the
 * postmaster for a fast shutdown (SIGINT), so an orphan never holds the data directory for
 * long; a start that still finds one (`postmaster.pid` naming a live postgres) waits for it,
 * then ends it. The watchdog exits with the postmaster's status, which is how a postmaster that
 * dies while to11 runs is noticed.
 *
 * PostgreSQL refuses to run as root: as root, the child runs as the `postgres` user, else as
 * `nobody`, and the cluster directory is owned by that user.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { alive } from './data-dir-lock.ts';
import { unpackTemplate } from './pglite-template.ts';
import type { PostgresBinaries } from './postgres-binaries.ts';

/** The unix socket's "port" (only its file name: `.s.PGSQL.5432`). */
export const SOCKET_PORT = 5432;

/**
 * Settings for a single-user development store, passed as `-c` on every start (none is written
 * to postgresql.conf, so a later to11 can change them). Small buffers and no background workers
 * beyond the ones Postgres cannot do without; commits wait for the WAL flush (fsync on).
 */
export const EMBEDDED_SETTINGS: Readonly<Record<string, string>> = {
  listen_addresses: '',
  unix_socket_permissions: '0700',
  shared_buffers: '16MB',
  max_connections: '16',
  superuser_reserved_connections: '0',
  io_method: 'sync',
  max_worker_processes: '0',
  max_parallel_workers_per_gather: '0',
  max_wal_senders: '0',
  wal_level: 'minimal',
  min_wal_size: '16MB',
  max_wal_size: '256MB',
  autovacuum_max_workers: '1',
  maintenance_work_mem: '16MB',
  huge_pages: 'off',
  jit: 'off',
  lc_messages: 'C',
  log_checkpoints: 'off',
  log_min_messages: 'warning',
};

/** The user the child runs as when this process is root. */
interface RunAs {
  name: string;
  uid: number;
  gid: number;
}

/** As root: the `postgres` user, else `nobody` (from /etc/passwd). Otherwise: this user. */
function runAsUser(): RunAs | null {
  if (process.getuid?.() !== 0) return null;
  let passwd = '';
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return null;
  }
  const users = new Map<string, RunAs>();
  for (const line of passwd.split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (name !== undefined && uid !== undefined && gid !== undefined) {
      users.set(name, { name, uid: Number(uid), gid: Number(gid) });
    }
  }
  const user = users.get('postgres') ?? users.get('nobody');
  if (user === undefined) {
    throw new Error('running as root, and there is no postgres or nobody user to run Postgres as');
  }
  return user;
}

/** Gives `dir` and everything under it to `user` when it is not theirs already. */
function ownBy(dir: string, user: RunAs | null): void {
  if (user === null || statSync(dir).uid === user.uid) return;
  const walk = (path: string) => {
    chownSync(path, user.uid, user.gid);
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path)) walk(join(path, entry));
    }
  };
  walk(dir);
}

/** Whether `pid` is a postgres process (not an unrelated process that reuses the PID). */
function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
  } catch {
    try {
      const comm = execFileSync('ps', ['-p', String(pid), '-o', 'comm='], { encoding: 'utf8' });
      return /postgres$/.test(comm.trim());
    } catch {
      return false;
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitGone(pid: number, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (!alive(pid)) return true;
    await sleep(20);
  }
  return !alive(pid);
}

/**
 * A postmaster left by a to11 that was killed (its watchdog is already shutting it down) or
 * whose watchdog was killed too: waited for, then asked to stop, then killed.
 */
async function endOrphan(pgdata: string): Promise<void> {
  const pidFile = join(pgdata, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  } catch {
    return;
  }
  const orphan = Number.isInteger(pid) && pid > 0 && alive(pid) && isPostgres(pid);
  if (orphan && !(await waitGone(pid, 3000))) {
    let gone = false;
    for (const signal of ['SIGINT', 'SIGQUIT', 'SIGKILL'] as const) {
      try {
        process.kill(pid, signal);
      } catch {
        // gone meanwhile
      }
      gone = await waitGone(pid, 5000);
      if (gone) break;
    }
    if (!gone) throw new Error(`an earlier Postgres (pid ${pid}) still holds ${pgdata}`);
  }
  // Stale, or naming a PID that another process has now (a container restarted): Postgres
  // would refuse to start on a lock of a live process, and the readiness check reads this file.
  rmSync(pidFile, { force: true });
}

/** The last lines a child wrote to stderr, for error messages. */
class Tail {
  #lines: string[] = [];
  push(chunk: Buffer): void {
    this.#lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (this.#lines.length > 20) this.#lines.splice(0, this.#lines.length - 20);
  }
  toString(): string {
    return this.#lines.slice(-5).join(' | ');
  }
}

/** A minimal environment: nothing of to11's own (secrets, DATABASE_URL) reaches the child. */
function childEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', LANG: 'C', TZ: 'UTC' };
}

/**
 * A new cluster in a sibling directory, renamed into place only once complete: unpacked from
 * `template` (a gzipped ustar of a cluster after initdb and the migrations, made at build time
 * by scripts/postgres-template.ts with the same binaries) when given, else made by `initdb`.
 */
async function initCluster(
  binaries: PostgresBinaries,
  pgdata: string,
  user: RunAs | null,
  template: string | undefined,
) {
  const staging = `${pgdata}.init`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { mode: 0o700 });
  if (template !== undefined) {
    unpackTemplate(readFileSync(template), staging, user ?? undefined);
    renameSync(staging, pgdata);
    return;
  }
  ownBy(staging, user);
  const args = ['-D', staging, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C'];
  // 1 MB WAL segments instead of 16: a new cluster (and the build's template) is 15 MB smaller.
  args.push('--wal-segsize=1');
  // No fsync of the new files: they are synced by the first checkpoint.
  args.push('--no-sync', '--no-instructions');
  const child = spawn(binaries.initdb, args, {
    cwd: staging,
    env: childEnv(),
    stdio: ['ignore', 'ignore', 'pipe'],
    ...(user === null ? {} : { uid: user.uid, gid: user.gid }),
  });
  const tail = new Tail();
  child.stderr.on('data', (chunk: Buffer) => tail.push(chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`initdb exited with code ${code}: ${tail}`);
  }
  renameSync(staging, pgdata);
}

/**
 * The watchdog: starts the postmaster (`"$@"`), ends it when stdin closes, exits with its
 * status. A background job of a non-interactive shell gets /dev/null as stdin, hence fd 3.
 */
const WATCHDOG = [
  'exec 3<&0',
  '"$@" 3<&- </dev/null &',
  'pg=$!',
  "trap '' INT TERM HUP",
  '( read -r _ <&3; kill -INT "$pg" 2>/dev/null ) &',
  'watcher=$!',
  'exec 3<&-',
  'wait "$pg"',
  'status=$?',
  'kill "$watcher" 2>/dev/null',
  'exit "$status"',
].join('\n');

/** A running postmaster. */
export interface PostgresChild {
  /** The directory of its unix socket (`.s.PGSQL.5432`). */
  readonly socketDir: string;
  /** PIDs of the watchdog and the postmaster (benches sum their memory). */
  readonly pids: { watchdog: number; postmaster: number };
  /** Settles when the child exits, with why. */
  readonly exited: Promise<string>;
  /** Fast shutdown; resolves once the child has exited. */
  stop(): Promise<void>;
}

/**
 * Starts Postgres on the cluster in `pgdata` (made from `template`, or with initdb, when it has
 * none yet), with `EMBEDDED_SETTINGS`; resolves once it accepts connections.
 */
export async function startPostgresChild(
  binaries: PostgresBinaries,
  pgdata: string,
  template?: string,
): Promise<PostgresChild> {
  const user = runAsUser();
  if (user !== null) {
    // The data directory (root's) must let that user through to its cluster: search only.
    const parent = dirname(pgdata);
    chmodSync(parent, statSync(parent).mode | 0o001);
  }
  if (!existsSync(join(pgdata, 'PG_VERSION'))) {
    rmSync(pgdata, { recursive: true, force: true });
    await initCluster(binaries, pgdata, user, template);
  } else {
    ownBy(pgdata, user);
    await endOrphan(pgdata);
  }
  const socketDir = socketDirFor(pgdata, user);
  const settings = { ...EMBEDDED_SETTINGS, unix_socket_directories: socketDir };
  const args = ['-D', pgdata, '-p', String(SOCKET_PORT)];
  for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`);
  const child = spawn('/bin/sh', ['-c', WATCHDOG, 'to11-postgres', binaries.postgres, ...args], {
    cwd: pgdata,
    env: childEnv(),
    // Its own process group: a terminal's Ctrl-C reaches to11, which stops Postgres itself
    // after flushing its spans.
    detached: true,
    stdio: ['pipe', 'ignore', 'pipe'],
    ...(user === null ? {} : { uid: user.uid, gid: user.gid }),
  });
  const tail = new Tail();
  child.stderr?.on('data', (chunk: Buffer) => tail.push(chunk));
  child.stdin?.on('error', () => undefined);
  const exited = new Promise<string>((resolve) => {
    child.on('error', (error) => resolve(error.message));
    child.on('exit', (code, signal) =>
      resolve(
        `${signal === null ? `exit code ${code}` : `signal ${signal}`}${tail.toString() === '' ? '' : `: ${tail}`}`,
      ),
    );
  });
  const watchdog = child.pid ?? 0;
  const stop = async () => {
    child.stdin?.end();
    if (socketDir !== pgdata)
      void exited.then(() => rmSync(socketDir, { recursive: true, force: true }));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), 20_000);
    });
    const done = await Promise.race([exited.then(() => true), late]);
    clearTimeout(timer);
    if (!done) {
      try {
        process.kill(-watchdog, 'SIGKILL');
      } catch {
        // already gone
      }
      await exited;
    }
  };
  let postmaster = 0;
  for (;;) {
    const state = await Promise.race([exited, sleep(15).then(() => null)]);
    if (state !== null) throw new Error(`Postgres stopped while starting (${state})`);
    postmaster = readyPostmaster(pgdata);
    if (postmaster > 0) break;
  }
  return { socketDir, pids: { watchdog, postmaster }, exited, stop };
}

/**
 * The socket's directory: the cluster's own, unless the socket's path would pass the ~107 bytes
 * a unix socket path may have; then a new directory in the temporary directory (its name only
 * has to be unique: the cluster's `postmaster.pid` guards the data, not the socket).
 */
function socketDirFor(pgdata: string, user: RunAs | null): string {
  if (Buffer.byteLength(join(pgdata, `.s.PGSQL.${SOCKET_PORT}`)) <= 100) return pgdata;
  const dir = mkdtempSync(join(tmpdir(), 'to11-pg-'));
  ownBy(dir, user);
  return dir;
}

/** The postmaster's PID once `postmaster.pid` says "ready" (its 8th line), else 0. */
function readyPostmaster(pgdata: string): number {
  let lines: string[];
  try {
    lines = readFileSync(join(pgdata, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return 0;
  }
  if (lines[7]?.trim() !== 'ready') return 0;
  return Number.parseInt(lines[0] ?? '0', 10);
}
