/**
 * The embedded Postgres child process: an acknowledged write survives kill -9 of the process
 * that owns the server, and the next start on that directory works; a second process is
 * refused the directory; a server that dies under a running store is reported and, with the
 * default handler, ends the process non-zero.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from './errors.ts';
import { findPostgresBinaries } from './postgres-binaries.ts';
import { openStore } from './store.ts';
import { embeddedPostgresPids } from './testing.ts';

const here = import.meta.dirname;
const dirs: string[] = [];
const children: ChildProcess[] = [];

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'to11-embpg-'));
  // As root the server runs as another user, who must be able to pass through.
  chmodSync(dir, 0o711);
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A process running `code` (ESM, tsx), its output collected; `line(re)` waits for a line. */
function run(code: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: here,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  const waiters: (() => void)[] = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const wake of waiters.splice(0)) wake();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return {
    child,
    output: () => output,
    exited,
    async line(pattern: RegExp): Promise<RegExpExecArray> {
      for (;;) {
        const match = pattern.exec(output);
        if (match) return match;
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`exited without ${pattern}: ${output}`);
        }
        await Promise.race([new Promise<void>((wake) => waiters.push(wake)), exited]);
      }
    },
  };
}

const imports = `
  const { openStore } = await import(${JSON.stringify(join(here, 'store.ts'))});
  const { embeddedPostgresPids, spanFixture } = await import(${JSON.stringify(join(here, 'testing.ts'))});
`;

const hasBinaries = !('missing' in findPostgresBinaries());

describe.skipIf(!hasBinaries)('the embedded Postgres engine', () => {
  it('keeps an acknowledged span through kill -9 of its owner, and the next start opens the directory', async () => {
    const dir = dataDir();
    const owner = run(`${imports}
      const store = await openStore({ dataDir: ${JSON.stringify(dir)}, embeddedEngine: 'postgres' });
      const boot = await store.bootstrap();
      const span = spanFixture(boot.projectId);
      const writer = store.spans.createWriter();
      const queued = writer.enqueue([span]);
      const result = await queued.committed;
      const [pids] = embeddedPostgresPids();
      console.log('acked', result.status, boot.projectId, span.traceId, pids.postmaster);
      setInterval(() => {}, 1000);
    `);
    const [, status, projectId = '', traceId = '', postmaster] = await owner.line(
      /acked (\S+) (\S+) (\S+) (\d+)\n/,
    );
    expect(status).toBe('ok');
    owner.child.kill('SIGKILL');
    await owner.exited;

    const store = await openStore({ dataDir: dir, embeddedEngine: 'postgres' });
    try {
      expect(store.engine).toBe('embedded-postgres');
      expect(alive(Number(postmaster))).toBe(false);
      const trace = await store.spans.getTrace(projectId, traceId);
      expect(trace.map((span) => span.traceId)).toEqual([traceId]);
    } finally {
      await store.close();
    }
  });

  it('serves a data directory whose socket path would be too long from a temporary socket directory', async () => {
    const dir = join(
      dataDir(),
      'a-directory-name-long-enough-for-the-socket-path-to-pass-the-limit',
    );
    const store = await openStore({ dataDir: dir, embeddedEngine: 'postgres' });
    try {
      expect(store.engine).toBe('embedded-postgres');
      expect(await store.ping()).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('refuses the directory to a second process, naming the first', async () => {
    const dir = dataDir();
    const store = await openStore({ dataDir: dir, embeddedEngine: 'postgres' });
    try {
      const second = run(`${imports}
        try {
          await openStore({ dataDir: ${JSON.stringify(dir)}, embeddedEngine: 'postgres' });
          console.log('opened');
        } catch (error) {
          console.log('refused:', error.name, error.message);
        }
      `);
      await second.exited;
      expect(second.output()).toContain(
        `refused: StoreUnavailableError the data directory ${dir} is in use by another to11 process (pid ${process.pid})`,
      );
      expect(await store.ping()).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('reports a server that dies to onFatal and fails every query after it', async () => {
    const fatal: Error[] = [];
    const store = await openStore({
      dataDir: dataDir(),
      embeddedEngine: 'postgres',
      onFatal: (error) => fatal.push(error),
    });
    const [pids] = embeddedPostgresPids();
    expect(pids).toBeDefined();
    process.kill(pids?.postmaster ?? 0, 'SIGKILL');
    for (let i = 0; i < 500 && fatal.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toBeInstanceOf(StoreUnavailableError);
    expect(fatal[0]?.message).toContain('the embedded Postgres server stopped (exit code 137');
    expect(await store.ping()).toBe(false);
    await store.close();
  });

  it('makes a process with the default handler exit with code 1 when its server dies', async () => {
    const dir = dataDir();
    const owner = run(`${imports}
      await openStore({ dataDir: ${JSON.stringify(dir)}, embeddedEngine: 'postgres' });
      setInterval(() => {}, 1000);
      const [pids] = embeddedPostgresPids();
      console.log('open');
      process.kill(pids.postmaster, 'SIGKILL');
    `);
    const [code] = await owner.exited;
    expect(owner.output()).toContain('open');
    expect(owner.output()).toContain('StoreUnavailableError: the embedded Postgres server stopped');
    expect(code).toBe(1);
  });
});

describe('the embedded engine chosen', () => {
  it('stays on PGlite, saying so, for a directory PGlite made', async () => {
    const dir = dataDir();
    const made = await openStore({ dataDir: dir, embeddedEngine: 'pglite' });
    expect(made.engine).toBe('pglite');
    await made.close();
    const notices: string[] = [];
    const store = await openStore({ dataDir: dir, onNotice: (line) => notices.push(line) });
    try {
      expect(store.engine).toBe('pglite');
      expect(notices).toEqual([
        `the embedded store in ${dir} was made by PGlite: using PGlite (start on a new TO11_DATA_DIR for the embedded Postgres)`,
      ]);
    } finally {
      await store.close();
    }
  });
});
