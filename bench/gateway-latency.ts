/**
 * Gateway overhead benchmark (not a test). Loopback only, one OS process per role so that no role
 * steals event-loop time from another:
 *   - the fake OpenAI upstream runs in its own child process (shared by every target);
 *   - (b) a bare node:http pipe proxy and (c) the to11 gateway (auth, tracing, content capture,
 *     metrics, pino line, spans to the store) each run in their own child process, started one
 *     at a time, measured, then stopped;
 *   - the load generator (keep-alive node:http Agent) runs in this parent process.
 * Each round measures, per target, p50/p99 latency at concurrency 1 and req/s at concurrency 32,
 * for JSON and SSE chat completions, plus the proxy process's CPU time per request at c=32.
 * The table shows the median over the rounds.
 *
 *   cd bench && pnpm exec tsx gateway-latency.ts          # PGlite in memory, in the gateway process
 *   DATABASE_URL=postgres://… pnpm exec tsx gateway-latency.ts
 * Knobs: BENCH_REQUESTS (c=1 sample, default 2000), BENCH_SECONDS (c=32 window, default 5),
 * BENCH_ROUNDS (default 3), BENCH_PROFILE=dir (gateway child runs with --cpu-prof into dir),
 * BENCH_BASELINE_ENTRY=path (also measure, in the same rounds, a second gateway loaded from that
 * module, e.g. a copy of an older src/index.ts: an A/B under the same machine load).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';

type Role = 'upstream' | 'bare' | 'gateway';
interface Target {
  name: string;
  origin: string;
  headers: Record<string, string>;
  child?: RoleProcess;
}
interface Measure {
  p50: number;
  p99: number;
  rps: number;
  cpuUsPerReq: number;
}

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PROVIDER_KEY = 'sk-bench-provider-key';

const COMPLETION = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-mini-2024-07-18',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Hello from the bench upstream.' },
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 20, completion_tokens: 8, total_tokens: 28 },
});

function streamBody(includeUsage: boolean): string {
  const base =
    '"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini"';
  const words = ['Hello', ' from', ' the', ' bench', ' upstream', ' in', ' eight', ' chunks.'];
  let out = `data: {${base},"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}\n\n`;
  for (const word of words) {
    out += `data: {${base},"choices":[{"index":0,"delta":{"content":"${word}"},"finish_reason":null}]}\n\n`;
  }
  out += `data: {${base},"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n`;
  if (includeUsage) {
    out += `data: {${base},"choices":[],"usage":{"prompt_tokens":20,"completion_tokens":8,"total_tokens":28}}\n\n`;
  }
  return `${out}data: [DONE]\n\n`;
}

async function startUpstream(): Promise<number> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        stream?: boolean;
        stream_options?: { include_usage?: boolean };
      };
      if (body.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(streamBody(body.stream_options?.include_usage === true));
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(COMPLETION);
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function startBareProxy(upstream: string): Promise<number> {
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const server = createServer((req, res) => {
    const upstreamRequest = request(
      {
        host: target.hostname,
        port: target.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
        agent,
      },
      (upstreamResponse) => {
        res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(res);
      },
    );
    upstreamRequest.on('error', () => res.destroy());
    req.pipe(upstreamRequest);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function startGatewayRole(
  upstream: string,
  databaseUrl: string | undefined,
): Promise<{ port: number; apiKey: string; close(): Promise<void> }> {
  const { openStore } = await import('@to11/store');
  const entry = process.env.BENCH_GATEWAY_ENTRY || '@to11/gateway';
  const { createGatewayLogger, loadGatewayConfig, startGateway } = (await import(
    entry
  )) as typeof import('@to11/gateway');
  const store = await openStore(databaseUrl ? { databaseUrl } : { dataDir: ':memory:' });
  const apiKey = `to11_test_bench${Date.now()}abcdefghijklmnop`;
  await store.bootstrap({ apiKey });
  const config = loadGatewayConfig({
    TO11_GATEWAY_PORT: '0',
    TO11_OPENAI_BASE_URL: `${upstream}/v1`,
  });
  const gateway = await startGateway({
    config,
    store,
    // As in production (main.ts): JSON lines on stdout, which the bench sends to /dev/null.
    logger: createGatewayLogger('info'),
  });
  return {
    port: gateway.port,
    apiKey,
    close: async () => {
      await gateway.close(1_000);
      await store.close();
    },
  };
}

/** Child side: start the role, report its port, answer CPU-usage probes, exit on 'stop'. */
async function runChild(role: Role): Promise<void> {
  const upstream = process.env.BENCH_UPSTREAM ?? '';
  let close = async (): Promise<void> => undefined;
  let ready: { port: number; apiKey?: string };
  if (role === 'upstream') ready = { port: await startUpstream() };
  else if (role === 'bare') ready = { port: await startBareProxy(upstream) };
  else {
    const gateway = await startGatewayRole(upstream, process.env.BENCH_DATABASE_URL || undefined);
    close = gateway.close;
    ready = { port: gateway.port, apiKey: gateway.apiKey };
  }
  process.on('message', (message: string) => {
    if (message === 'cpu') {
      const usage = process.cpuUsage();
      process.send?.({ cpuUs: usage.user + usage.system });
    } else if (message === 'stop') {
      // Exit normally (not a kill) so that --cpu-prof writes its profile.
      void close().finally(() => process.exit(0));
    }
  });
  process.send?.({ ready });
}

interface RoleProcess {
  child: ChildProcess;
  port: number;
  apiKey?: string;
  cpuUs(): Promise<number>;
  stop(): Promise<void>;
}

function startChild(role: Role, env: Record<string, string>): Promise<RoleProcess> {
  const execArgv = [...process.execArgv];
  if (role === 'gateway' && process.env.BENCH_PROFILE) {
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`);
  }
  // process.execArgv carries tsx's loader flags, so the child runs this very file.
  const child = fork(process.argv[1] ?? '', [role], {
    env: { ...process.env, ...env },
    execArgv,
    stdio: ['ignore', role === 'gateway' ? 'ignore' : 'inherit', 'inherit', 'ipc'],
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

/** A fresh database on the server of `serverUrl` (the shared one stays untouched), dropped after. */
async function throwawayDatabase(
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

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function median(values: number[]): number {
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

async function throughput(
  target: Target,
  stream: boolean,
  concurrency = 32,
): Promise<{ rps: number; cpuUsPerReq: number }> {
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
  return { rps: done / elapsed, cpuUsPerReq: target.child ? (cpuAfter - cpuBefore) / done : 0 };
}

async function measureTarget(target: Target, stream: boolean): Promise<Measure> {
  const lat = await latency(target, stream);
  const tp = await throughput(target, stream);
  return { ...lat, ...tp };
}

const fmt = (value: number, digits: number, width: number): string =>
  value.toFixed(digits).padStart(width);

async function main(): Promise<void> {
  const database = process.env.DATABASE_URL
    ? await throwawayDatabase(process.env.DATABASE_URL)
    : null;
  const upstreamChild = await startChild('upstream', {});
  const upstream = `http://127.0.0.1:${upstreamChild.port}`;
  const engine = database
    ? 'Postgres (throwaway database)'
    : 'PGlite in memory, in the gateway process';
  console.log(
    `to11 gateway bench: ${ROUNDS} rounds; c=1 ${REQUESTS} requests, c=32 ${SECONDS} s; store ${engine}; tracing and content capture on`,
  );
  const baseline = process.env.BENCH_BASELINE_ENTRY;
  const names = ['direct upstream', 'bare node:http proxy', 'to11 gateway'];
  if (baseline) names.push('to11 gateway baseline');
  // results[stream][target] = one Measure per round
  const results: Measure[][][] = [0, 1].map(() => names.map(() => []));
  for (let round = 0; round < ROUNDS; round++) {
    // With a baseline, the two gateways swap places every other round (load drifts).
    const order = names.map((_, index) => index);
    if (baseline && round % 2 === 1) order.splice(2, 2, 3, 2);
    for (const index of order) {
      const name = names[index] ?? '';
      let target: Target = { name, origin: upstream, headers: {} };
      if (index > 0) {
        const child = await startChild(index === 1 ? 'bare' : 'gateway', {
          BENCH_UPSTREAM: upstream,
          BENCH_DATABASE_URL: database?.url ?? '',
          BENCH_GATEWAY_ENTRY: index === 3 && baseline ? baseline : '',
        });
        target = {
          name,
          origin: `http://127.0.0.1:${child.port}`,
          headers: child.apiKey ? { 'x-to11-authorization': `Bearer ${child.apiKey}` } : {},
          child,
        };
      }
      for (const stream of [0, 1]) {
        results[stream]?.[index]?.push(await measureTarget(target, stream === 1));
      }
      await target.child?.stop();
    }
    console.log(`round ${round + 1}/${ROUNDS} done (load average ${loadAverage()})`);
  }
  for (const stream of [0, 1]) {
    console.log(
      `\n${stream ? 'streaming (SSE, 10 chunks)' : 'non-streaming (JSON)'}, median of ${ROUNDS} rounds`,
    );
    console.log(
      'target                 p50 ms  p99 ms  added p50 ms  c=32 req/s  vs bare  proxy CPU µs/req',
    );
    const rows = (results[stream] ?? []).map((rounds) => ({
      p50: median(rounds.map((m) => m.p50)),
      p99: median(rounds.map((m) => m.p99)),
      rps: median(rounds.map((m) => m.rps)),
      cpu: median(rounds.map((m) => m.cpuUsPerReq)),
    }));
    const [direct, bare, gateway, gatewayBaseline] = rows;
    if (!direct || !bare || !gateway) continue;
    rows.forEach((row, index) => {
      console.log(
        `${(names[index] ?? '').padEnd(22).slice(0, 22)} ${fmt(row.p50, 3, 6)}  ${fmt(row.p99, 3, 6)}  ${fmt(row.p50 - direct.p50, 3, 12)}  ${fmt(row.rps, 0, 10)}  ${fmt((row.rps / bare.rps) * 100, 0, 6)}%  ${index === 0 ? '               -' : fmt(row.cpu, 0, 16)}`,
      );
    });
    // Per-round ratios, so the spread is visible.
    const perRound = (results[stream]?.[2] ?? []).map((g, r) => {
      const b = results[stream]?.[1]?.[r];
      return b ? `${((g.rps / b.rps) * 100).toFixed(0)}%/${(g.p50 - b.p50).toFixed(3)}ms` : '';
    });
    console.log(
      `gateway p50 minus bare proxy p50: ${(gateway.p50 - bare.p50).toFixed(3)} ms (goal <= 0.3); throughput ${((gateway.rps / bare.rps) * 100).toFixed(0)}% of bare (goal >= 70%); per round: ${perRound.join(', ')}`,
    );
    if (gatewayBaseline) {
      console.log(
        `baseline gateway: p50 minus bare ${(gatewayBaseline.p50 - bare.p50).toFixed(3)} ms, throughput ${((gatewayBaseline.rps / bare.rps) * 100).toFixed(0)}% of bare`,
      );
    }
  }
  await upstreamChild.stop();
  await database?.drop();
}

function loadAverage(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
}

const role = process.argv[2] as Role | undefined;
if (role) await runChild(role);
else await main();
