/**
 * Collector overload benchmark (issue 16, "Overload"; not a test). The collector runs as its
 * own process (apps/collector/src/main.ts, default limits), on a throwaway Postgres database
 * (`DATABASE_URL`) or on the embedded store (a fresh data dir, without `DATABASE_URL`). Its
 * capacity is measured first (closed loop, OTLP/HTTP protobuf, 512-span requests, concurrency
 * 8), then an open-loop load offers a multiple of it: requests leave on a 10 ms clock whatever
 * the answers do, each with fresh ids, so an overloaded collector must refuse (503 with
 * `Retry-After`) instead of queueing.
 *
 *   cd bench && DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres pnpm exec tsx collector-overload.ts
 *   cd bench && pnpm exec tsx collector-overload.ts      # embedded store
 *
 * Reported: capacity, offered rate, answers by status (and 503/429 without `Retry-After`),
 * latency of the acknowledged exports, the collector's RSS (sampled every 250 ms: before, peak,
 * after), spans acknowledged against spans stored after a graceful stop (Postgres).
 * Knobs: BENCH_LOAD_SECONDS (120), BENCH_FACTOR (2), BENCH_SOCKETS (client connections, 256),
 * BENCH_CAPACITY_REQUESTS (200); TO11_COLLECTOR_* variables reach the collector.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import {
  load,
  rssOf,
  startCollectorProcess,
  stopCollectorProcess,
} from './collector-bench-tools.ts';
import { SPANS_PER_REQUEST } from './collector-requests.ts';

const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 120);
const FACTOR = Number(process.env.BENCH_FACTOR ?? 2);
const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 256);
const CAPACITY_REQUESTS = Number(process.env.BENCH_CAPACITY_REQUESTS ?? 200);
/** Distinct request bodies the open loop cycles through (each send gets fresh ids). */
const BODIES = 64;
const startNs = (BigInt(Date.now()) - 60_000n) * 1_000_000n;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

const serverUrl = process.env.DATABASE_URL;
const name = `to11_bench_${randomBytes(4).toString('hex')}`;
const admin = serverUrl ? postgres(serverUrl, { max: 1, onnotice: () => {} }) : undefined;
let databaseUrl: string | undefined;
if (admin && serverUrl) {
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  databaseUrl = url.toString();
}
const dataDir = databaseUrl ? undefined : mkdtempSync(join(tmpdir(), 'to11-bench-collector-'));
try {
  const apiKey = `to11_test_${randomBytes(16).toString('hex')}`;
  const collector = await startCollectorProcess({
    ...(databaseUrl
      ? { DATABASE_URL: databaseUrl, TO11_TOKEN_SECRET: randomBytes(32).toString('hex') }
      : { DATABASE_URL: '', TO11_DATA_DIR: dataDir ?? '' }),
    TO11_BOOTSTRAP_API_KEY: apiKey,
    TO11_LOG_LEVEL: 'error',
  });
  const exchange = await fetch(`${collector.httpUrl}/v1/ingest-token/exchange`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ credential: apiKey }),
  });
  const { token } = (await exchange.json()) as { token: string };
  let seed = randomBytes(4).readUInt32BE(0);
  const job = (requests: number, concurrency: number) => ({
    protocol: 'http' as const,
    url: collector.httpUrl,
    token,
    requests,
    concurrency,
    seed: seed++,
    startNs: startNs.toString(),
  });

  await load(job(20, 4));
  const closed = await load(job(CAPACITY_REQUESTS, 8));
  if (closed.failed > 0 || closed.unavailable > 0) {
    throw new Error(`capacity run: ${closed.failed} failed, ${closed.unavailable} x 503`);
  }
  const capacity = closed.ok / closed.seconds;

  const rssBefore = rssOf(collector.child);
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(rssOf(collector.child)), 250);
  const run = await load({
    ...job(BODIES, SOCKETS),
    open: { rate: capacity * FACTOR, seconds: LOAD_SECONDS },
  });
  clearInterval(sampler);
  const rssAfter = rssOf(collector.child);
  await stopCollectorProcess(collector); // graceful: commits what it accepted

  let stored: number | undefined;
  if (databaseUrl) {
    const db = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    stored = (await db<{ n: number }[]>`select count(*)::int as n from spans`)[0]?.n;
    await db.end();
  }
  const accepted = run.acceptedMs ?? [];
  const acked = (closed.ok + 20 + run.ok) * SPANS_PER_REQUEST;
  const statuses = Object.entries(run.statuses ?? {})
    .map(([status, n]) => `${status}: ${n}`)
    .join(', ');
  console.log(
    `collector overload, store ${databaseUrl ? 'Postgres' : 'embedded (PGlite)'}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `capacity (closed loop, c=8, ${SPANS_PER_REQUEST}-span requests): ${capacity.toFixed(1)} req/s = ${(capacity * SPANS_PER_REQUEST).toFixed(0)} spans/s`,
  );
  console.log(
    `offered ${((run.offered ?? 0) / LOAD_SECONDS).toFixed(1)} req/s (${FACTOR}x) for ${LOAD_SECONDS} s over at most ${SOCKETS} connections: ${run.offered} requests; answers ${statuses}; 503/429 without Retry-After: ${run.withoutRetryAfter}`,
  );
  console.log(
    `acknowledged: ${(run.ok / run.seconds).toFixed(1)} req/s = ${((run.ok * SPANS_PER_REQUEST) / run.seconds).toFixed(0)} spans/s; latency p50 / p99 / max ${percentile(accepted, 50).toFixed(0)} / ${percentile(accepted, 99).toFixed(0)} / ${(accepted.at(-1) ?? 0).toFixed(0)} ms`,
  );
  console.log(
    `collector RSS before ${mb(rssBefore)}, peak ${mb(Math.max(rssBefore, rssAfter, ...samples))}, after ${mb(rssAfter)}`,
  );
  if (stored !== undefined) {
    console.log(
      `spans acknowledged ${acked} (whole run), stored ${stored} after the graceful stop (a 503 may still commit: re-sends are idempotent)`,
    );
  }
} finally {
  if (admin) {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
