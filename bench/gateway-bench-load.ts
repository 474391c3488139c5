/**
 * The load side of the gateway benchmark (`gateway-latency.ts`): starting and stopping the role
 * processes (`gateway-bench-child.ts`), and measuring a target (latency at concurrency 1,
 * throughput and the target process's CPU per request at concurrency 32).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Role } from './gateway-bench-child.ts';

/** Where the load goes, and the process to probe for CPU time (none for the upstream). */
export interface Target {
  name: string;
  origin: string;
  headers: Record<string, string>;
  child?: RoleProcess;
}
/** One target's figures in one round. */
export interface Measure {
  p50: number;
  p99: number;
  rps: number;
  cpuUsPerReq: number;
}

/** Knobs (see `gateway-latency.ts`). */
export const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PROVIDER_KEY = 'sk-bench-provider-key';

const CHILD_ENTRY = fileURLToPath(new URL('./gateway-bench-child.ts', import.meta.url));

export interface RoleProcess {
  child: ChildProcess;
  port: number;
  apiKey?: string;
  cpuUs(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts a role in its own process (with extra node flags) and waits until it listens. */
export function startChild(
  role: Role,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<RoleProcess> {
  const execArgv = [...process.execArgv, ...nodeArgs];
  if (role === 'bare' && process.env.BENCH_PROFILE) {
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`);
  }
  // process.execArgv carries tsx's loader flags, so the child runs the TypeScript entry.
  const child = fork(CHILD_ENTRY, [role], {
    env: { ...process.env, ...env },
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const nextMessage = <T>(): Promise<T> =>
    new Promise((resolve, reject) => {
      child.once('message', (message) => resolve(message as T));
      child.once('exit', (code) => reject(new Error(`${role} child exited (${code})`)));
    });
  return nextMessage<{ ready: { port: number; apiKey?: string } }>().then(({ ready }) => ({
    child,
    ...ready,
    cpuUs: async () => {
      const reply = nextMessage<{ cpuUs: number }>();
      child.send('cpu');
      return (await reply).cpuUs;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send('stop');
      }),
  }));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return percentile(sorted, 50);
}

function makeClient(target: Target, stream: boolean, concurrency: number) {
  const url = new URL(target.origin);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const body = JSON.stringify({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Say hello to the bench.' }],
    stream,
  });
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    authorization: `Bearer ${PROVIDER_KEY}`,
    ...target.headers,
  };
  const once = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: '/v1/chat/completions',
          method: 'POST',
          headers,
          agent,
        },
        (res) => {
          if (res.statusCode !== 200) reject(new Error(`${target.name}: status ${res.statusCode}`));
          res.on('data', () => undefined);
          res.on('end', resolve);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return { once, close: () => agent.destroy() };
}

async function latency(target: Target, stream: boolean): Promise<{ p50: number; p99: number }> {
  const client = makeClient(target, stream, 1);
  for (let i = 0; i < 300; i++) await client.once();
  const samples: number[] = [];
  const deadline = Date.now() + 30_000;
  for (let i = 0; i < REQUESTS && Date.now() < deadline; i++) {
    const start = process.hrtime.bigint();
    await client.once();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  client.close();
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

/** Requests per second and the target process's CPU per request at `concurrency` for SECONDS. */
export async function throughput(
  target: Target,
  stream: boolean,
  concurrency = 32,
): Promise<{ rps: number; cpuUsPerReq: number; window: { fromUs: number; toUs: number } }> {
  const client = makeClient(target, stream, concurrency);
  const run = async (ms: number): Promise<number> => {
    let done = 0;
    const deadline = Date.now() + ms;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (Date.now() < deadline) {
          await client.once();
          done += 1;
        }
      }),
    );
    return done;
  };
  await run(1_000);
  const cpuBefore = (await target.child?.cpuUs()) ?? 0;
  const started = process.hrtime.bigint();
  const done = await run(SECONDS * 1_000);
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuAfter = (await target.child?.cpuUs()) ?? 0;
  client.close();
  // The measured window on the monotonic clock (µs), the clock of V8 profile timestamps.
  const window = { fromUs: Number(started / 1000n), toUs: Number(started / 1000n) + elapsed * 1e6 };
  return {
    rps: done / elapsed,
    cpuUsPerReq: target.child ? (cpuAfter - cpuBefore) / done : 0,
    window,
  };
}

/** Latency at c=1, then throughput and CPU per request at c=32. */
export async function measureTarget(target: Target, stream: boolean): Promise<Measure> {
  const lat = await latency(target, stream);
  const tp = await throughput(target, stream);
  return { ...lat, rps: tp.rps, cpuUsPerReq: tp.cpuUsPerReq };
}
