/**
 * The embedded engine's worker thread: a worker that dies after the store opened is reported
 * (every query fails with the same error, `onFatal` hears of it), and a process left with the
 * default handler exits non-zero instead of hanging on a store that no longer answers.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from './errors.ts';
import { openStore } from './store.ts';
import { embeddedWorkers } from './testing.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the embedded store worker', () => {
  it('reports its death to onFatal and fails every query after it', async () => {
    const fatal: Error[] = [];
    const store = await openStore({ dataDir: ':memory:', onFatal: (error) => fatal.push(error) });
    expect(await store.ping()).toBe(true);
    const before = new Set(embeddedWorkers());
    expect(before.size).toBeGreaterThan(0);
    await Promise.all([...before].map((worker) => worker.terminate()));
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toBeInstanceOf(StoreUnavailableError);
    expect(fatal[0]?.message).toContain("the embedded store's worker thread stopped");
    expect(await store.ping()).toBe(false);
    await expect(store.bootstrap()).rejects.toThrow('worker thread stopped');
    await store.close();
  });

  it('makes a process with the default handler exit with code 1 and say why', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'to11-worker-crash-'));
    dirs.push(dataDir);
    const here = import.meta.dirname;
    // A server-like process: open the store, keep the event loop busy, then lose the worker.
    const code = `
      const { openStore } = await import(${JSON.stringify(join(here, 'store.ts'))});
      const { embeddedWorkers } = await import(${JSON.stringify(join(here, 'testing.ts'))});
      await openStore({ dataDir: ${JSON.stringify(dataDir)}, embeddedEngine: "pglite" });
      setInterval(() => {}, 1000);
      console.log('open');
      for (const worker of embeddedWorkers()) await worker.terminate();
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      cwd: here,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const [exitCode] = await once(child, 'exit');
    expect(output).toContain('open');
    expect(output).toContain("StoreUnavailableError: the embedded store's worker thread stopped");
    expect(exitCode).toBe(1);
  });
});
