/**
 * Child-process harness for the end-to-end tests: runs the built all-in-one
 * (`node apps/cli/dist/start.js`) and the `to11` CLI (`node apps/cli/bin/to11.js`) exactly as a
 * user does, on loopback ports chosen free, and kills every child it started by PID.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, '../../..');
const START = join(ROOT, 'apps/cli/dist/start.js');
const CLI = join(ROOT, 'apps/cli/bin/to11.js');

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

/** `count` distinct loopback ports that were free a moment ago (listen on 0, then close). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  const ports = await Promise.all(
    servers.map(
      (server) =>
        new Promise<number>((done, fail) => {
          server.once('error', fail);
          server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            if (address === null || typeof address === 'string') fail(new Error('no port'));
            else done(address.port);
          });
        }),
    ),
  );
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  return ports;
}

/** A fresh temporary directory, removed by `cleanUp()`. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'to11-cli-e2e-'));
  // As root the embedded Postgres runs as another user, who must be able to pass through.
  chmodSync(dir, 0o711);
  tempDirs.add(dir);
  return dir;
}

/**
 * The parent's environment without any to11 setting or DATABASE_URL (CI exports one), so each
 * test states the configuration it runs with.
 */
export function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('TO11_') && key !== 'DATABASE_URL') env[key] = value;
  }
  return { ...env, ...extra };
}

/** How a child process ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running all-in-one with its output so far. */
export interface Product {
  pid: number;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the first stdout line matching `pattern`; rejects if the process exits first. */
  waitForLine: (pattern: RegExp, timeoutMs?: number) => Promise<string>;
  exited: Promise<Exit>;
}

/** Starts `node apps/cli/dist/start.js` with `env` (see `cleanEnv`). Requires `pnpm build`. */
export function startProduct(env: Record<string, string>): Product {
  if (!existsSync(START)) throw new Error(`${START} is missing: run pnpm build first`);
  const child = spawn(process.execPath, [START], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const listener of listeners) listener();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<Exit>((done) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      for (const listener of listeners) listener();
      done({ code, signal });
    });
  });
  if (child.pid === undefined) throw new Error('the all-in-one did not start');
  return {
    pid: child.pid,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForLine: (pattern, timeoutMs = 60_000) =>
      new Promise((done, fail) => {
        const check = (): void => {
          const line = stdout.split('\n').find((candidate) => pattern.test(candidate));
          if (line !== undefined) finish(() => done(line));
          else if (child.exitCode !== null || child.signalCode !== null) {
            finish(() => fail(new Error(`exited before ${pattern}:\n${stdout}\n${stderr}`)));
          }
        };
        const timer = setTimeout(
          () =>
            finish(() =>
              fail(new Error(`no line ${pattern} within ${timeoutMs} ms:\n${stdout}\n${stderr}`)),
            ),
          timeoutMs,
        );
        const finish = (settle: () => void): void => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      }),
  };
}

/** Output of one CLI run. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `command args…` (default: `node apps/cli/bin/to11.js`) from the repository root. */
export function runCommand(
  args: string[],
  env: Record<string, string>,
  command: string[] = [process.execPath, CLI],
): Promise<CliRun> {
  const [file = process.execPath, ...prefix] = command;
  const child = spawn(file, [...prefix, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('close', (code) => {
      children.delete(child);
      done({ code, stdout, stderr });
    });
  });
}

/** Kills every child still running (by PID) and removes the temporary directories. */
export function cleanUp(): void {
  for (const child of children) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      process.kill(child.pid, 'SIGKILL');
    }
  }
  children.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}
