/**
 * The gateway target of the gateway benchmark, run as users run it: `node <dist>/main.js` (the
 * esbuild bundle that `pnpm build` writes to `apps/gateway/dist/`) with the node flags of its
 * Docker image, configured only by environment variables, with `TO11_GATEWAY_WORKERS` workers. Its CPU time is read from
 * `/proc` for the process and all its descendants (the cluster's workers).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RoleProcess } from './gateway-bench-load.ts';

/** The built gateway of this checkout. */
export const GATEWAY_DIST = resolve(import.meta.dirname, '../apps/gateway/dist/main.js');

const CLOCK_TICKS_PER_S = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

/** PIDs of `pid` and every descendant (Linux `/proc`). */
export function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    children = text === '' ? [] : text.split(/\s+/).map(Number);
  } catch {
    return [];
  }
  return [pid, ...children.flatMap(processTree)];
}

/** User + system CPU time of `pid` and its descendants, µs (10 ms resolution). */
export function treeCpuUs(pid: number): number {
  let ticks = 0;
  for (const one of processTree(pid)) {
    try {
      // Fields after the command name (which may contain spaces): utime is the 12th, stime the 13th.
      const stat = readFileSync(`/proc/${one}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // exited meanwhile
    }
  }
  return (ticks / CLOCK_TICKS_PER_S) * 1e6;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(),
      );
    });
  });
}

/** How to start one gateway target. */
export interface GatewayLaunch {
  /** `main.js` of a built gateway (this checkout's, or a copied older `dist/` for an A/B). */
  entry: string;
  upstream: string;
  /** A Postgres database of its own; without it, PGlite in a fresh temporary directory. */
  databaseUrl: string | undefined;
  workers: number;
  /** Extra node flags (`--cpu-prof …`). */
  nodeArgs: string[];
  /** Extra gateway variables (`TO11_GATEWAY_MAX_IN_FLIGHT`, …). */
  env?: Record<string, string>;
}

/** Starts a built gateway and waits for its listening line. */
export async function startGatewayProcess(launch: GatewayLaunch): Promise<RoleProcess> {
  if (!existsSync(launch.entry)) {
    throw new Error(`${launch.entry} is missing: run \`pnpm build\` at the repository root`);
  }
  const port = await freePort();
  const apiKey = `to11_test_bench${Date.now()}abcdefghijklmnop`;
  const dataDir = launch.databaseUrl ? null : mkdtempSync(join(tmpdir(), 'to11-bench-gateway-'));
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !key.startsWith('TO11_') && key !== 'DATABASE_URL' && key !== 'NODE_OPTIONS',
    ),
  );
  // The node flags of the gateway's Docker image (infra/Dockerfile, target gateway), then the bench's own.
  const nodeArgs = ['--max-semi-space-size=32', ...launch.nodeArgs];
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, launch.entry], {
    env: {
      ...inherited,
      TO11_GATEWAY_HOST: '127.0.0.1',
      TO11_GATEWAY_PORT: String(port),
      TO11_GATEWAY_WORKERS: String(launch.workers),
      TO11_OPENAI_BASE_URL: `${launch.upstream}/v1`,
      TO11_BOOTSTRAP_API_KEY: apiKey,
      TO11_LOG_LEVEL: 'info',
      ...(launch.databaseUrl ? { DATABASE_URL: launch.databaseUrl } : { TO11_DATA_DIR: dataDir }),
      ...launch.env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const pid = child.pid ?? 0;
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  // One JSON log line per request: read and dropped, as a log shipper would (the pipe must
  // never fill up). The first line the gateway prints says where it listens.
  let head = '';
  await new Promise<void>((resolveReady, reject) => {
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('utf8');
      if (/gateway listening on http/.test(head)) {
        child.stdout?.off('data', onData);
        // BENCH_GATEWAY_STDOUT=<file>: the lines that are not JSON log lines (node's
        // --trace-gc output, for one) are appended there.
        const keep = process.env.BENCH_GATEWAY_STDOUT;
        if (keep) {
          child.stdout?.on('data', (data: Buffer) => {
            const lines = data.toString('utf8').split('\n');
            appendFileSync(keep, lines.filter((line) => !line.startsWith('{')).join('\n'));
          });
        }
        child.stdout?.resume();
        resolveReady();
      }
    };
    child.stdout?.on('data', onData);
    exited.then(() => reject(new Error(`gateway exited before listening:\n${head}`)));
  });
  return {
    child,
    port,
    apiKey,
    cpuUs: async () => treeCpuUs(pid),
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh database on the server of `serverUrl` (the shared one stays untouched), dropped after. */
export async function throwawayDatabase(
  serverUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const { default: postgres } = await import('postgres');
  const admin = postgres(serverUrl, { max: 1, onnotice: () => undefined });
  const name = `to11_bench_gateway_${Date.now()}`;
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}
