/**
 * Gateway overhead benchmark (not a test). One run, loopback only:
 *   (a) a fake OpenAI upstream called directly,
 *   (b) a bare node:http pipe proxy in front of it,
 *   (c) the to11 gateway (auth, tracing, content capture, spans to the store) in front of it,
 * each measured for p50/p99 latency at concurrency 1 and throughput at concurrency 32, for
 * non-streamed and streamed chat completions. The upstream and the load loop share the main
 * thread; each proxy runs in its own worker thread, like a separate process would.
 *
 *   cd bench && pnpm exec tsx gateway-latency.ts          # PGlite in memory
 *   DATABASE_URL=postgres://… pnpm exec tsx gateway-latency.ts
 * Knobs: BENCH_REQUESTS (c=1 sample, default 2000), BENCH_SECONDS (c=32 window, default 5).
 */
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

type Role = 'bare' | 'gateway';
interface WorkerInput {
  role: Role;
  upstream: string;
  databaseUrl?: string;
}
interface Target {
  name: string;
  origin: string;
  headers: Record<string, string>;
}

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
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

function startUpstream(): Promise<string> {
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
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
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

async function startGatewayRole(input: WorkerInput): Promise<{ port: number; apiKey: string }> {
  const { openStore } = await import('@to11/store');
  const { createGatewayLogger, loadGatewayConfig, startGateway } = await import('@to11/gateway');
  const store = await openStore(
    input.databaseUrl ? { databaseUrl: input.databaseUrl } : { dataDir: ':memory:' },
  );
  const apiKey = `to11_test_bench${Date.now()}abcdefghijklmnop`;
  await store.bootstrap({ apiKey });
  const config = loadGatewayConfig({
    TO11_GATEWAY_PORT: '0',
    TO11_OPENAI_BASE_URL: `${input.upstream}/v1`,
  });
  const gateway = await startGateway({
    config,
    store,
    logger: createGatewayLogger('info', '/dev/null'),
  });
  return { port: gateway.port, apiKey };
}

function startWorker(
  input: WorkerInput,
): Promise<{ port: number; apiKey?: string; worker: Worker }> {
  // Workers do not inherit tsx's loader: register it, then load this file as the worker.
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); });`;
  const worker = new Worker(boot, { eval: true, workerData: input });
  return new Promise((resolve, reject) => {
    worker.once('message', (message: { port: number; apiKey?: string }) =>
      resolve({ ...message, worker }),
    );
    worker.once('error', reject);
  });
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

async function throughput(target: Target, stream: boolean, concurrency = 32): Promise<number> {
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
  const started = process.hrtime.bigint();
  const done = await run(SECONDS * 1_000);
  client.close();
  return done / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function main(): Promise<void> {
  const upstream = await startUpstream();
  const database = process.env.DATABASE_URL
    ? await throwawayDatabase(process.env.DATABASE_URL)
    : null;
  const databaseUrl = database?.url;
  const bare = await startWorker({ role: 'bare', upstream });
  const gateway = await startWorker({
    role: 'gateway',
    upstream,
    ...(databaseUrl ? { databaseUrl } : {}),
  });
  const targets: Target[] = [
    { name: 'direct upstream', origin: upstream, headers: {} },
    { name: 'bare node:http proxy', origin: `http://127.0.0.1:${bare.port}`, headers: {} },
    {
      name: 'to11 gateway',
      origin: `http://127.0.0.1:${gateway.port}`,
      headers: { 'x-to11-authorization': `Bearer ${gateway.apiKey}` },
    },
  ];
  console.log(
    `to11 gateway bench: c=1 ${REQUESTS} requests, c=32 ${SECONDS} s; store ${databaseUrl ? 'Postgres (throwaway database)' : 'PGlite in memory, in the gateway thread'}; tracing and content capture on`,
  );
  for (const stream of [false, true]) {
    const rows = [];
    for (const target of targets) {
      const lat = await latency(target, stream);
      const rps = await throughput(target, stream);
      rows.push({ target, ...lat, rps });
    }
    const direct = rows[0];
    const bareRow = rows[1];
    console.log(`\n${stream ? 'streaming (SSE, 10 chunks)' : 'non-streaming (JSON)'}`);
    console.log('target                 p50 ms  p99 ms  added p50 ms  c=32 req/s  vs bare');
    for (const row of rows) {
      const added = direct ? row.p50 - direct.p50 : 0;
      const ratio = bareRow ? row.rps / bareRow.rps : 1;
      console.log(
        `${row.target.name.padEnd(22)} ${row.p50.toFixed(3).padStart(6)}  ${row.p99.toFixed(3).padStart(6)}  ${added.toFixed(3).padStart(12)}  ${row.rps.toFixed(0).padStart(10)}  ${(ratio * 100).toFixed(0).padStart(6)}%`,
      );
    }
    if (direct && bareRow) {
      const gatewayRow = rows[2];
      if (gatewayRow) {
        const overhead = gatewayRow.p50 - bareRow.p50;
        console.log(
          `gateway p50 minus bare proxy p50: ${overhead.toFixed(3)} ms (goal <= 0.3); throughput ${((gatewayRow.rps / bareRow.rps) * 100).toFixed(0)}% of bare (goal >= 70%)`,
        );
      }
    }
  }
  await bare.worker.terminate();
  await gateway.worker.terminate();
  await database?.drop();
  process.exit(0);
}

if (isMainThread) {
  await main();
} else {
  const input = workerData as WorkerInput;
  if (input.role === 'bare')
    parentPort?.postMessage({ port: await startBareProxy(input.upstream) });
  else parentPort?.postMessage(await startGatewayRole(input));
}
