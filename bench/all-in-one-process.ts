/**
 * The all-in-one as `pnpm start` runs it, for `all-in-one.ts`: the built tree's
 * `node --max-semi-space-size=32 apps/cli/dist/start.js` (the flags of the root `start` script,
 * without its build step), configured by environment variables only, on free ports. Start-up is
 * timed from the spawn to the first answered chat completion through the gateway; RSS and CPU
 * time are read from /proc.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { resolve } from 'node:path';
import type { RoleProcess } from './gateway-bench-load.ts';
import { freePort, processTree, treeCpuUs } from './gateway-bench-process.ts';

/** The built all-in-one of this checkout. */
export const START_DIST = resolve(import.meta.dirname, '../apps/cli/dist/start.js');
const ROOT = resolve(import.meta.dirname, '..');

export interface AllInOneLaunch {
  /** `start.js` of a built tree: this checkout's, or a copied older `apps/cli/dist/` (A/B). */
  entry: string;
  upstream: string;
  /** Embedded store in this directory, unless `databaseUrl` is set. */
  dataDir: string;
  databaseUrl: string | undefined;
  apiKey: string;
}

export interface AllInOneProcess extends RoleProcess {
  collectorHttpUrl: string;
  /** Spawn to first answered chat completion, ms. */
  startMs: number;
  /** Stops with SIGKILL (no drain), for the durability checks. */
  kill(): Promise<void>;
}

/** Resident set size of `pid`, bytes (Linux /proc). */
export function rssBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/**
 * Memory of `pid` and every descendant (the embedded Postgres server and its backends), bytes:
 * the sum of each process's PSS from `/proc/<pid>/smaps_rollup` (its own pages plus its share
 * of pages mapped by several processes, such as Postgres's shared buffers), so shared pages
 * count once. For one process this is a little below its VmRSS (shared libraries are split).
 */
export function treePssBytes(pid: number): number {
  return processTree(pid).reduce((sum, one) => sum + pssBytes(one), 0);
}

/** PSS of one process, bytes (0 once it exited). */
export function pssBytes(pid: number): number {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    return Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** Samples `measure(pid)` (default: the tree's PSS) every 20 ms until `stop()`, which returns the peak. */
export function rssPeak(
  pid: number,
  measure: (pid: number) => number = treePssBytes,
): { stop(): number } {
  let peak = measure(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, measure(pid));
  }, 20);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, measure(pid));
    },
  };
}

/** One chat completion; resolves with the status, or 0 when nothing listens yet. */
function chat(port: number, headers: Record<string, string>): Promise<number> {
  const body = JSON.stringify({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'first answer' }],
  });
  return new Promise((resolveStatus) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/chat/completions',
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer sk-bench-provider-key',
          ...headers,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolveStatus(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolveStatus(0));
    req.end(body);
  });
}

/** Polls `port` with chat completions until one is answered 200; ms since `startedAt`. */
export async function firstAnswer(
  port: number,
  headers: Record<string, string>,
  startedAt: bigint,
  exited: Promise<unknown>,
): Promise<number> {
  let gone = false;
  exited.then(() => {
    gone = true;
  });
  for (;;) {
    if (gone) throw new Error('the process exited before its first answer');
    if ((await chat(port, headers)) === 200) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  return Number(process.hrtime.bigint() - startedAt) / 1e6;
}

/** Starts `apps/cli/dist/start.js` and waits for its first answered chat completion. */
export async function startAllInOneProcess(launch: AllInOneLaunch): Promise<AllInOneProcess> {
  if (!existsSync(launch.entry)) {
    throw new Error(`${launch.entry} is missing: run \`pnpm build\` at the repository root`);
  }
  const [port, grpcPort, httpPort] = [await freePort(), await freePort(), await freePort()];
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !key.startsWith('TO11_') && key !== 'DATABASE_URL' && key !== 'NODE_OPTIONS',
    ),
  );
  const startedAt = process.hrtime.bigint();
  const child: ChildProcess = spawn(process.execPath, ['--max-semi-space-size=32', launch.entry], {
    cwd: ROOT,
    env: {
      ...inherited,
      TO11_GATEWAY_HOST: '127.0.0.1',
      TO11_GATEWAY_PORT: String(port),
      TO11_COLLECTOR_HOST: '127.0.0.1',
      TO11_COLLECTOR_GRPC_PORT: String(grpcPort),
      TO11_COLLECTOR_HTTP_PORT: String(httpPort),
      TO11_OPENAI_BASE_URL: `${launch.upstream}/v1`,
      TO11_BOOTSTRAP_API_KEY: launch.apiKey,
      TO11_LOG_LEVEL: 'info',
      ...(process.env.BENCH_EMBEDDED_ENGINE
        ? { TO11_EMBEDDED_ENGINE: process.env.BENCH_EMBEDDED_ENGINE }
        : {}),
      ...(launch.databaseUrl
        ? { DATABASE_URL: launch.databaseUrl, TO11_TOKEN_SECRET: launch.apiKey.repeat(2) }
        : { TO11_DATA_DIR: launch.dataDir }),
    },
    // One JSON log line per request on stdout: read and dropped, as a log shipper would.
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout?.resume();
  const pid = child.pid ?? 0;
  const exited = once(child, 'exit');
  const headers = { 'x-to11-authorization': `Bearer ${launch.apiKey}` };
  const startMs = await firstAnswer(port, headers, startedAt, exited);
  const stopWith = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  return {
    child,
    port,
    apiKey: launch.apiKey,
    collectorHttpUrl: `http://127.0.0.1:${httpPort}`,
    startMs,
    cpuUs: async () => treeCpuUs(pid),
    stop: () => stopWith('SIGTERM'),
    kill: () => stopWith('SIGKILL'),
  };
}
