/**
 * Overload and soak benchmark of the gateway (issue 16, "Overload"; not a test). The built
 * gateway runs as users run it (`gateway-bench-process.ts`) in front of the bench's fake OpenAI
 * upstream, each in its own process. First its capacity is measured (closed loop, c=32, JSON),
 * then an open-loop load offers a multiple of it: requests are sent on a 10 ms clock whatever
 * the answers do, as real clients arrive, so an overloaded gateway must shed (503 `overloaded`
 * past `TO11_GATEWAY_MAX_IN_FLIGHT`) instead of queueing.
 *
 *   pnpm build    # at the repository root
 *   cd bench && pnpm exec tsx overload.ts overload    # 2x capacity for 120 s
 *   cd bench && pnpm exec tsx overload.ts soak        # 0.5x capacity for 600 s
 *   DATABASE_URL=postgres://… pnpm exec tsx overload.ts overload   # on a throwaway database
 *
 * Reported: offered and answered rates, answers by status, latency of the accepted calls beside
 * the same figure at half capacity (the calm baseline of the same run), the process tree's RSS
 * (sampled each second: start, peak, end, slope), and its open file descriptors at start and end
 * (sockets, timers' fds do not exist in Node: handles that leak show up as sockets or pipes).
 * Knobs: BENCH_LOAD_SECONDS (default 120 overload / 600 soak), BENCH_FACTOR (2 / 0.5),
 * BENCH_MAX_IN_FLIGHT (the gateway's limit, default 64), BENCH_SECONDS (capacity window, 5),
 * BENCH_GATEWAY_ENTRY (main.js of another build, e.g. a `cp -a` of apps/gateway/dist),
 * BENCH_KEEP_ALIVE_MS (the gateway's TO11_HTTP_KEEP_ALIVE_TIMEOUT_MS), BENCH_ERROR_DETAIL=1 (one
 * line per client error: code, whether the connection was reused, the answers it carried before
 * and how long it sat idle in the pool; and how often a connection idle >= 4 s was reused).
 */
import { readdirSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { rssBytes } from './all-in-one-process.ts';
import { startChild, throughput } from './gateway-bench-load.ts';
import {
  GATEWAY_DIST,
  processTree,
  startGatewayProcess,
  throwawayDatabase,
  treeCpuUs,
} from './gateway-bench-process.ts';

const mode = process.argv[2] === 'soak' ? 'soak' : 'overload';
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? (mode === 'soak' ? 600 : 120));
const FACTOR = Number(process.env.BENCH_FACTOR ?? (mode === 'soak' ? 0.5 : 2));
const MAX_IN_FLIGHT = Number(process.env.BENCH_MAX_IN_FLIGHT ?? 64);
const PROVIDER_KEY = 'sk-bench-provider-key';
/** Client connections at most (a request beyond them waits in the client for a free one). */
const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 256);

/** RSS (bytes) and open file descriptors summed over a process and its descendants. */
function treeReading(pid: number): { rss: number; fds: number } {
  let rss = 0;
  let fds = 0;
  for (const one of processTree(pid)) {
    rss += rssBytes(one);
    try {
      fds += readdirSync(`/proc/${one}/fd`).length;
    } catch {
      // exited meanwhile
    }
  }
  return { rss, fds };
}

/** Least-squares slope of y over x. */
function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

interface OpenLoopResult {
  offered: number;
  statuses: Map<string, number>;
  acceptedMs: number[];
  /** From the moment the request had a connected socket: the gateway's own share. */
  servedMs: number[];
  seconds: number;
  samples: { t: number; rss: number; fds: number }[];
  /** CPU time of the gateway's process tree and of this load generator during the load, µs. */
  gatewayCpuUs: number;
  clientCpuUs: number;
}

/** Offers `rate` requests/s for `seconds` on a 10 ms clock, sampling the gateway each second. */
async function openLoop(
  origin: string,
  apiKey: string,
  rate: number,
  seconds: number,
  pid: number,
): Promise<OpenLoopResult> {
  const url = new URL(origin);
  const agent = new Agent({ keepAlive: true, maxSockets: SOCKETS });
  const body = JSON.stringify({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Say hello to the overload bench.' }],
  });
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    authorization: `Bearer ${PROVIDER_KEY}`,
    'x-to11-authorization': `Bearer ${apiKey}`,
  };
  const result: OpenLoopResult = {
    offered: 0,
    statuses: new Map(),
    acceptedMs: [],
    servedMs: [],
    seconds,
    samples: [],
    gatewayCpuUs: 0,
    clientCpuUs: 0,
  };
  const gatewayCpuBefore = treeCpuUs(pid);
  const clientCpuBefore = process.cpuUsage();
  const count = (key: string) => result.statuses.set(key, (result.statuses.get(key) ?? 0) + 1);
  const pending = new Set<Promise<void>>();
  // Per client connection: answers it carried, and when it last went back to the pool.
  const sockets = new WeakMap<object, { answers: number; freeSince: bigint; port: number }>();
  agent.on('free', (socket) => {
    const info = sockets.get(socket);
    if (info) {
      info.answers += 1;
      info.freeSince = process.hrtime.bigint();
    }
  });
  const idleReuses = { over4s: 0, max: 0 };
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const started = process.hrtime.bigint();
      let connected = started;
      let onSocket = { reused: false, answers: 0, idleMs: 0, port: 0 };
      let answerStarted = false;
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
          answerStarted = true;
          res.on('data', () => undefined);
          res.on('end', () => {
            count(String(res.statusCode));
            if (res.statusCode === 200) {
              const now = process.hrtime.bigint();
              result.acceptedMs.push(Number(now - started) / 1e6);
              result.servedMs.push(Number(now - connected) / 1e6);
            }
            resolve();
          });
        },
      );
      req.on('socket', (socket) => {
        let info = sockets.get(socket);
        if (!info) {
          info = { answers: 0, freeSince: started, port: 0 };
          sockets.set(socket, info);
          socket.once('connect', () => {
            if (info) info.port = socket.localPort ?? 0;
          });
        }
        onSocket = {
          reused: req.reusedSocket,
          answers: info.answers,
          idleMs: info.answers > 0 ? Number(process.hrtime.bigint() - info.freeSince) / 1e6 : 0,
          port: info.port,
        };
        if (onSocket.idleMs >= 4000) idleReuses.over4s += 1;
        idleReuses.max = Math.max(idleReuses.max, onSocket.idleMs);
        if (!socket.connecting) connected = process.hrtime.bigint();
        else socket.once('connect', () => (connected = process.hrtime.bigint()));
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        count(error.code ?? 'error');
        if (process.env.BENCH_ERROR_DETAIL) {
          console.log(
            `error ${Date.now()} ${error.code} "${error.message}" reused=${onSocket.reused} answers-before=${onSocket.answers} idle-before=${onSocket.idleMs.toFixed(0)}ms port=${onSocket.port} answer-started=${answerStarted} after=${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(0)}ms`,
          );
        }
        resolve();
      });
      req.end(body);
    });
  const startedAt = Date.now();
  const deadline = startedAt + seconds * 1000;
  let carry = 0;
  let nextSample = startedAt;
  while (Date.now() < deadline) {
    carry += rate / 100;
    for (; carry >= 1; carry--) {
      result.offered += 1;
      const promise = one();
      pending.add(promise);
      promise.then(() => pending.delete(promise));
    }
    if (Date.now() >= nextSample) {
      result.samples.push({ t: (Date.now() - startedAt) / 1000, ...treeReading(pid) });
      nextSample += 1000;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await Promise.all(pending);
  result.gatewayCpuUs = treeCpuUs(pid) - gatewayCpuBefore;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  result.clientCpuUs = clientCpu.user + clientCpu.system;
  agent.destroy();
  if (process.env.BENCH_ERROR_DETAIL) {
    console.log(
      `reuses of a connection idle >= 4 s: ${idleReuses.over4s}; longest idle before reuse ${idleReuses.max.toFixed(0)} ms`,
    );
  }
  result.acceptedMs.sort((a, b) => a - b);
  result.servedMs.sort((a, b) => a - b);
  return result;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL;
  const database = serverUrl ? await throwawayDatabase(serverUrl) : undefined;
  const upstream = await startChild('upstream', {});
  const gateway = await startGatewayProcess({
    entry: process.env.BENCH_GATEWAY_ENTRY ?? GATEWAY_DIST,
    upstream: `http://127.0.0.1:${upstream.port}`,
    databaseUrl: database?.url,
    workers: 1,
    nodeArgs: process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [],
    env: {
      TO11_GATEWAY_MAX_IN_FLIGHT: String(MAX_IN_FLIGHT),
      TO11_LOG_LEVEL: 'warn',
      ...(process.env.BENCH_KEEP_ALIVE_MS
        ? { TO11_HTTP_KEEP_ALIVE_TIMEOUT_MS: process.env.BENCH_KEEP_ALIVE_MS }
        : {}),
    },
  });
  const pid = gateway.child.pid ?? 0;
  if (process.env.BENCH_ERROR_DETAIL) {
    console.log(
      `gateway pid ${pid} port ${gateway.port}, upstream port ${upstream.port}, start ${Date.now()}`,
    );
  }
  try {
    const origin = `http://127.0.0.1:${gateway.port}`;
    const target = {
      name: 'gateway',
      origin,
      headers: { 'x-to11-authorization': `Bearer ${gateway.apiKey}` },
      child: gateway,
    };
    // Closed loop at c=32, or the limit when it is lower (a closed loop past it would be shed).
    const capacity = (await throughput(target, false, Math.min(32, MAX_IN_FLIGHT))).rps;
    const apiKey = gateway.apiKey ?? '';
    const calm = await openLoop(origin, apiKey, capacity / 2, 10, pid);
    const before = treeReading(pid);
    const run = await openLoop(origin, apiKey, capacity * FACTOR, LOAD_SECONDS, pid);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const after = treeReading(pid);
    const peak = Math.max(...run.samples.map((s) => s.rss), after.rss);
    // The slope over the run's second half, after warm-up and the store's first growth.
    const half = run.samples.filter((s) => s.t >= LOAD_SECONDS / 2);
    const rssSlope = slope(half.map((s) => ({ x: s.t / 60, y: s.rss / 1024 / 1024 })));
    const fdSlope = slope(half.map((s) => ({ x: s.t / 60, y: s.fds })));
    const statuses = [...run.statuses].map(([k, v]) => `${k}: ${v}`).join(', ');
    console.log(
      `overload bench (${mode}), store ${database ? 'Postgres' : 'PGlite'}, TO11_GATEWAY_MAX_IN_FLIGHT=${MAX_IN_FLIGHT}, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    console.log(
      `capacity (closed loop, c=${Math.min(32, MAX_IN_FLIGHT)}, JSON): ${capacity.toFixed(0)} req/s`,
    );
    console.log(
      `offered ${(run.offered / LOAD_SECONDS).toFixed(0)} req/s (${FACTOR}x) for ${LOAD_SECONDS} s: ${run.offered} requests; answers ${statuses}`,
    );
    const p = (values: number[]) =>
      `${percentile(values, 50).toFixed(2)} / ${percentile(values, 99).toFixed(2)} ms`;
    console.log(
      `accepted calls, p50 / p99 from a connected socket: ${p(run.servedMs)} (at 0.5x, calm, same run: ${p(calm.servedMs)}); end to end incl. waiting for one of ${SOCKETS} client sockets: ${p(run.acceptedMs)} (calm: ${p(calm.acceptedMs)})`,
    );
    const calmStatuses = [...calm.statuses].map(([k, v]) => `${k}: ${v}`).join(', ');
    console.log(`calm 0.5x (10 s) answers: ${calmStatuses}`);
    const cpu = (r: OpenLoopResult) =>
      `${(r.gatewayCpuUs / 1e6 / r.seconds).toFixed(2)} cores, ${(r.gatewayCpuUs / r.offered).toFixed(0)} µs per answer; load generator ${(r.clientCpuUs / 1e6 / r.seconds).toFixed(2)} cores`;
    console.log(`gateway CPU: ${cpu(run)} (calm: ${cpu(calm)})`);
    console.log(
      `RSS (process tree): before ${mb(before.rss)}, peak ${mb(peak)}, after ${mb(after.rss)}; slope over the second half ${rssSlope.toFixed(2)} MB/min`,
    );
    console.log(
      `open fds: before ${before.fds}, after ${after.fds} (2 s after the load); slope over the second half ${fdSlope.toFixed(1)} fds/min`,
    );
  } finally {
    await gateway.stop();
    await upstream.stop();
    await database?.drop();
  }
}

await main();
