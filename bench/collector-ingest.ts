/**
 * Collector ingest benchmark (issue "collector"): sustained end-to-end ingest, spans/s committed
 * in Postgres, over OTLP/HTTP protobuf and over gRPC, against a raw COPY of the same rows into
 * the same table (one and two connections), same fresh database, same run, rounds interleaved;
 * then an overload phase showing memory stays bounded (503 back-pressure, no unbounded queue).
 * A sustained open-loop overload (a multiple of the capacity for minutes, embedded store too) is
 * collector-overload.ts.
 * Goal: ≥ 30,000 spans/s and ≥ 40% of the two-connection raw COPY rate.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres pnpm exec tsx collector-ingest.ts [requests] [concurrency] [rounds]
 *
 * The collector runs as its own process (apps/collector/src/main.ts); the load generator is a
 * child process sending pre-encoded requests with keep-alive. Any TO11_COLLECTOR_* variable in
 * the environment reaches the collector; BENCH_NODE_FLAGS and BENCH_CPU_PROF: see
 * collector-bench-tools.ts.
 */
import { randomBytes } from 'node:crypto';
import { spanCopyText } from '@to11/store/testing';
import { decodeSpans, isOtlpDecodeError } from '@to11/trace-core';
import postgres from 'postgres';
import {
  cpuOf,
  load,
  median,
  rawCopy,
  rssOf,
  startCollectorProcess,
  stopCollectorProcess,
} from './collector-bench-tools.ts';
import { makeRequests, SPANS_PER_REQUEST } from './collector-requests.ts';

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  console.error(
    'collector-ingest: set DATABASE_URL (a Postgres server where it may create a database)',
  );
  process.exit(1);
}
const REQUESTS = Number(process.argv[2] ?? 200);
const CONCURRENCY = Number(process.argv[3] ?? 8);
const ROUNDS = Number(process.argv[4] ?? 3);
const OVERLOAD_CONCURRENCY = 96;
const MAX_QUEUED_SPANS = 20_000;
const startNs = (BigInt(Date.now()) - 60_000n) * 1_000_000n;
let seed = randomBytes(4).readUInt32BE(0);

const rateText = (value: number) => `${value.toFixed(0).padStart(6)} spans/s`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

const name = `to11_bench_${randomBytes(4).toString('hex')}`;
const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`CREATE DATABASE "${name}"`);
const url = new URL(serverUrl);
url.pathname = `/${name}`;
const databaseUrl = url.toString();
try {
  const apiKey = `to11_test_${randomBytes(16).toString('hex')}`;
  const collector = await startCollectorProcess({
    DATABASE_URL: databaseUrl,
    TO11_TOKEN_SECRET: randomBytes(32).toString('hex'),
    TO11_BOOTSTRAP_API_KEY: apiKey,
    TO11_COLLECTOR_MAX_QUEUED_SPANS: String(MAX_QUEUED_SPANS),
    TO11_LOG_LEVEL: 'error',
  });
  const exchange = await fetch(`${collector.httpUrl}/v1/ingest-token/exchange`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ credential: apiKey }),
  });
  const { token, projectId } = (await exchange.json()) as { token: string; projectId: string };
  const db = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const reset = async () => {
    await db`truncate spans`;
    await db`checkpoint`;
  };
  const count = async () => (await db<{ n: number }[]>`select count(*)::int as n from spans`)[0]?.n;
  const spans = REQUESTS * SPANS_PER_REQUEST;
  const job = (protocol: 'http' | 'grpc', requests: number, concurrency: number) => ({
    protocol,
    url: protocol === 'http' ? collector.httpUrl : collector.grpcUrl,
    token,
    requests,
    concurrency,
    seed: seed++,
    startNs: startNs.toString(),
  });

  // Warm-up: partitions, connections, JIT of both paths.
  await load(job('http', 20, 4));
  await load(job('grpc', 20, 4));

  // The very rows the collector stores (decoded and converted the same way), as COPY text.
  const records = makeRequests(REQUESTS, seed++, startNs).flatMap((body) => {
    const decoded = decodeSpans(body, { projectId });
    if (isOtlpDecodeError(decoded)) throw new Error(decoded.error);
    return decoded.spans;
  });
  const { columns, text } = spanCopyText(records);
  const lines = text.split('\n').filter((line) => line !== '');
  const halves = [lines.slice(0, lines.length / 2), lines.slice(lines.length / 2)].map(
    (half) => `${half.join('\n')}\n`,
  );

  const rates = {
    copy1: [] as number[],
    copy2: [] as number[],
    http: [] as number[],
    grpc: [] as number[],
  };
  const cores = { http: [] as number[], grpc: [] as number[] };
  let bytesPerSpan = 0;
  console.log(
    `collector-ingest: ${REQUESTS} requests x ${SPANS_PER_REQUEST} spans per phase, concurrency ${CONCURRENCY}, ${ROUNDS} rounds`,
  );
  for (let round = 1; round <= ROUNDS; round++) {
    await reset();
    rates.copy1.push(spans / (await rawCopy(databaseUrl, columns, [text])));
    await reset();
    rates.copy2.push(spans / (await rawCopy(databaseUrl, columns, halves)));
    if ((await count()) !== spans) throw new Error('raw COPY row count mismatch');
    for (const protocol of ['http', 'grpc'] as const) {
      await reset();
      const cpuBefore = cpuOf(collector.child);
      const result = await load(job(protocol, REQUESTS, CONCURRENCY));
      const cpu = cpuOf(collector.child) - cpuBefore;
      const stored = await count();
      if (result.failed > 0 || result.unavailable > 0 || stored !== result.okSpans) {
        throw new Error(
          `${protocol}: ${result.failed} failed, ${stored} stored, ${result.okSpans} acked`,
        );
      }
      rates[protocol].push(result.okSpans / result.seconds);
      cores[protocol].push(cpu / result.seconds);
      bytesPerSpan = result.bytesPerSpan;
    }
    const last = (values: number[]) => rateText(values[values.length - 1] ?? 0);
    console.log(
      `round ${round}: COPY x1 ${last(rates.copy1)} | COPY x2 ${last(rates.copy2)} | HTTP ${last(rates.http)} | gRPC ${last(rates.grpc)}`,
    );
  }

  // Overload: many more spans in flight than the queue holds; the excess answers 503.
  await reset();
  const rssBefore = rssOf(collector.child);
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, rssOf(collector.child));
  }, 20);
  const overload = await load(job('http', REQUESTS, OVERLOAD_CONCURRENCY));
  clearInterval(sampler);
  const rssAfter = rssOf(collector.child);
  await stopCollectorProcess(collector); // graceful: flushes what it accepted
  const overloadStored = await count();

  const copy2 = median(rates.copy2);
  console.log(`median (${bytesPerSpan.toFixed(0)} B/span as protobuf):`);
  console.log(`  raw COPY, 1 connection    ${rateText(median(rates.copy1))}`);
  console.log(`  raw COPY, 2 connections   ${rateText(copy2)}`);
  for (const protocol of ['http', 'grpc'] as const) {
    const label = protocol === 'http' ? 'OTLP/HTTP protobuf' : 'OTLP/gRPC';
    const value = median(rates[protocol]);
    const used = median(cores[protocol]);
    const share = ((100 * value) / copy2).toFixed(0);
    const cpuPerSpan = ((used * 1e6) / value).toFixed(0);
    console.log(
      `  ${label.padEnd(25)} ${rateText(value)}  ${share}% of COPY x2; collector ${used.toFixed(2)} cores, ${cpuPerSpan} µs CPU/span (best ${rateText(Math.max(...rates[protocol]))})`,
    );
  }
  console.log(
    `overload, ${OVERLOAD_CONCURRENCY} requests in flight, queue ${MAX_QUEUED_SPANS} spans: ${overload.ok} ok, ${overload.unavailable} x 503, ${overload.failed} failed; acked ${overload.okSpans} spans, stored ${overloadStored} after shutdown (503s may still commit: re-sends are idempotent)`,
  );
  console.log(`collector RSS before ${mb(rssBefore)}, peak ${mb(rssPeak)}, after ${mb(rssAfter)}`);
  console.log('goal: ≥ 30,000 spans/s and ≥ 40% of the 2-connection raw COPY rate');
  await db.end();
} finally {
  await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}
