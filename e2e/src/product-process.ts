/**
 * Runs a built to11 entry point as a child process, exactly as a user starts it (`node
 * apps/…/dist/….js`), keeps its output for assertions and failure reports, and stops it by PID.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The repository root (this package lives in `<root>/e2e`). */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** The built entry points, relative to the repository root. */
export const ENTRY_POINTS = {
  /** What `pnpm start` runs after the build. */
  allInOne: 'apps/cli/dist/start.js',
  gateway: 'apps/gateway/dist/main.js',
  collector: 'apps/collector/dist/main.js',
} as const;

/** How a child process ended. */
export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running product process. */
export interface ProductProcess {
  readonly name: string;
  readonly pid: number;
  /** Settles when the process has exited. */
  readonly exited: Promise<ExitStatus>;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output (past or future). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Sends `signal` (default SIGTERM) to the PID and waits for the exit. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<ExitStatus>;
}

/**
 * Spawns `node <entry>` from the repository root with a clean environment: the parent's
 * `TO11_*` and `DATABASE_URL` are not inherited, so only `env` configures the product.
 * @throws when the entry point has not been built (`pnpm build` at the root).
 */
export function spawnProduct(
  name: string,
  entry: string,
  env: Record<string, string>,
): ProductProcess {
  const script = resolve(REPO_ROOT, entry);
  if (!existsSync(script)) throw new Error(`${entry} is missing: run \`pnpm build\` at the root`);
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !key.startsWith('TO11_') && key !== 'DATABASE_URL' && !key.startsWith('OTEL_'),
    ),
  );
  const child: ChildProcess = spawn(process.execPath, [script], {
    cwd: REPO_ROOT,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`${name}: spawn failed`);
  const pid = child.pid;
  let text = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<ExitStatus>((resolveExit) => {
    child.once('exit', (code, signal) => resolveExit({ code, signal }));
  });

  const waitFor = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<RegExpMatchArray>((resolveMatch, reject) => {
      const check = () => {
        const match = text.match(pattern);
        if (match === null) return;
        cleanup();
        resolveMatch(match);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${name}: no ${pattern} within ${timeoutMs} ms. Output:\n${text}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      exited.then(({ code, signal }) => {
        if (!listeners.has(check)) return;
        cleanup();
        reject(new Error(`${name} exited (${code ?? signal}) before ${pattern}. Output:\n${text}`));
      });
      listeners.add(check);
      check();
    });

  const stop = async (signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 20_000) => {
    if (child.exitCode === null && child.signalCode === null) process.kill(pid, signal);
    const timer = setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGKILL');
    }, timeoutMs);
    const status = await exited;
    clearTimeout(timer);
    return status;
  };

  return { name, pid, exited, output: () => text, waitFor, stop };
}
