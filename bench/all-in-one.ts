/**
 * The all-in-one as users meet it (`pnpm start`, issue "light and fast by default"), beside a
 * bare node:http pipe proxy in the same run, on the embedded store and (with DATABASE_URL) on
 * Postgres. Per round and store: a first start on a fresh data dir (or a fresh database) timed
 * to the first answered chat completion, memory after 1 s idle (PSS summed over the process and
 * every descendant, so the embedded Postgres server and its backends count, shared pages once;
 * plus the VmRSS of the node process alone), the gateway load of `gateway-bench-load.ts` (c=1
 * latency, c=32 req/s and CPU per request of the whole tree, JSON then SSE) with the peak of the
 * tree's PSS sampled every 20 ms, OTLP/HTTP protobuf ingest into the collector (512 spans a
 * request), then a graceful stop and a later start on the same store. Medians over the rounds.
 *
 *   pnpm build    # at the repository root: the bench runs apps/cli/dist/start.js
 *   cd bench && DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres pnpm exec tsx all-in-one.ts
 * Knobs: BENCH_ROUNDS (3), BENCH_REQUESTS (c=1 sample, 2000), BENCH_SECONDS (c=32 window, 5),
 * BENCH_INGEST_REQUESTS (100 requests of 512 spans, 8 at a time), BENCH_BASELINE_START=<start.js
 * of an older built tree, copied whole with `cp -a apps/cli/dist apps/cli/dist-before`> (A/B:
 * more columns, measured in the same rounds).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  firstAnswer,
  rssBytes,
  rssPeak,
  START_DIST,
  startAllInOneProcess,
  treePssBytes,
} from './all-in-one-process.ts';
import { load } from './collector-bench-tools.ts';
import { SPANS_PER_REQUEST } from './collector-requests.ts';
import {
  type Measure,
  measureTarget,
  median,
  REQUESTS,
  ROUNDS,
  SECONDS,
  startChild,
} from './gateway-bench-load.ts';
import { throwawayDatabase } from './gateway-bench-process.ts';

const INGEST_REQUESTS = Number(process.env.BENCH_INGEST_REQUESTS ?? 100);
const startNs = (BigInt(Date.now()) - 60_000n) * 1_000_000n;
let seed = randomBytes(4).readUInt32BE(0);

/** One target's figures in one round (ms, bytes, µs, spans/s). */
interface Figures {
  firstStart: number;
  laterStart: number;
  /** PSS summed over the process and its descendants (the embedded Postgres and its backends). */
  idleRss: number;
  /** VmRSS of the node process alone (the figure this bench reported before the Postgres child). */
  idleNodeRss: number;
  /** Peak of the tree's PSS. */
  peakRss: number;
  json: Measure;
  sse: Measure;
  ingest: number;
}

/**
 * `start` again (at most 3 tries) when the process exited before its first answer: the ports
 * come from `freePort()`, and on a shared machine another process can bind one first.
 */
async function withRetry<T>(start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt === 3) throw error;
      console.log(`start failed (${(error as Error).message}), retrying with other ports`);
    }
  }
}

const idle = () => new Promise((r) => setTimeout(r, 1_000));

async function measureLoad(target: Parameters<typeof measureTarget>[0], pid: number) {
  const peak = rssPeak(pid);
  const json = await measureTarget(target, false);
  const sse = await measureTarget(target, true);
  return { json, sse, peakRss: peak.stop() };
}

async function bare(upstream: string): Promise<Figures> {
  const startedAt = process.hrtime.bigint();
  const child = await startChild('bare', { BENCH_UPSTREAM: upstream });
  const firstStart = await firstAnswer(child.port, {}, startedAt, new Promise(() => undefined));
  await idle();
  const pid = child.child.pid ?? 0;
  const idleRss = treePssBytes(pid);
  const idleNodeRss = rssBytes(pid);
  const target = { name: 'bare', origin: `http://127.0.0.1:${child.port}`, headers: {}, child };
  const loaded = await measureLoad(target, pid);
  await child.stop();
  return {
    firstStart,
    laterStart: Number.NaN,
    idleRss,
    idleNodeRss,
    ingest: Number.NaN,
    ...loaded,
  };
}

async function ingest(collectorHttpUrl: string, apiKey: string): Promise<number> {
  const exchange = await fetch(`${collectorHttpUrl}/v1/ingest-token/exchange`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ credential: apiKey }),
  });
  const { token } = (await exchange.json()) as { token: string };
  const job = (requests: number) => ({
    protocol: 'http' as const,
    url: collectorHttpUrl,
    token,
    requests,
    concurrency: 8,
    seed: seed++,
    startNs: startNs.toString(),
  });
  await load(job(10));
  const result = await load(job(INGEST_REQUESTS));
  if (result.failed > 0) throw new Error(`ingest: ${result.failed} requests failed`);
  return result.okSpans / result.seconds;
}

async function allInOne(
  entry: string,
  upstream: string,
  serverUrl: string | undefined,
): Promise<Figures> {
  let dataDir = mkdtempSync(join(tmpdir(), 'to11-bench-aio-'));
  const database = serverUrl ? await throwawayDatabase(serverUrl) : null;
  const apiKey = `to11_test_${randomBytes(16).toString('hex')}`;
  const launch = { entry, upstream, dataDir, databaseUrl: database?.url, apiKey };
  try {
    const first = await withRetry(async () => {
      try {
        return await startAllInOneProcess(launch);
      } catch (error) {
        // A free port taken by another process before the child bound it: a fresh data dir.
        rmSync(dataDir, { recursive: true, force: true });
        dataDir = mkdtempSync(join(tmpdir(), 'to11-bench-aio-'));
        launch.dataDir = dataDir;
        throw error;
      }
    });
    await idle();
    const pid = first.child.pid ?? 0;
    const idleRss = treePssBytes(pid);
    const idleNodeRss = rssBytes(pid);
    const target = {
      name: 'to11',
      origin: `http://127.0.0.1:${first.port}`,
      headers: { 'x-to11-authorization': `Bearer ${apiKey}` },
      child: first,
    };
    const loaded = await measureLoad(target, pid);
    const spansPerS = await ingest(first.collectorHttpUrl, apiKey);
    await first.stop();
    const later = await withRetry(() => startAllInOneProcess(launch));
    await later.stop();
    return {
      firstStart: first.startMs,
      laterStart: later.startMs,
      idleRss,
      idleNodeRss,
      ingest: spansPerS,
      ...loaded,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    await database?.drop();
  }
}

const MB = 1024 * 1024;
type Row = [string, (f: Figures[], bare: Figures[]) => string];
const med = (rounds: Figures[], pick: (f: Figures) => number) => median(rounds.map(pick));
const ratioOf = (rounds: Figures[], bare: Figures[], pick: (f: Figures) => number) =>
  median(rounds.map((f, i) => pick(f) / pick(bare[i] ?? f)));
const fmt = (value: number, digits = 0) => (Number.isNaN(value) ? '' : value.toFixed(digits));

const ROWS: Row[] = [
  ['first start to first answer, s', (f) => fmt(med(f, (x) => x.firstStart) / 1000, 2)],
  ['later start to first answer, s', (f) => fmt(med(f, (x) => x.laterStart) / 1000, 2)],
  [
    'memory idle after the first start (PSS of the process tree), MB',
    (f) => fmt(med(f, (x) => x.idleRss) / MB),
  ],
  ['… VmRSS of the node process alone, MB', (f) => fmt(med(f, (x) => x.idleNodeRss) / MB)],
  [
    'peak memory under the gateway load (PSS of the process tree), MB',
    (f) => fmt(med(f, (x) => x.peakRss) / MB),
  ],
  [
    'p99 at c=1, non-streaming, ms',
    (f) =>
      fmt(
        med(f, (x) => x.json.p99),
        2,
      ),
  ],
  [
    'p50 at c=1, non-streaming, ms',
    (f) =>
      fmt(
        med(f, (x) => x.json.p50),
        3,
      ),
  ],
  [
    'added p50 at c=1 over bare, ms',
    (f, b) => fmt(median(f.map((x, i) => x.json.p50 - (b[i]?.json.p50 ?? 0))), 3),
  ],
  [
    'CPU µs/request, non-streaming (÷ bare)',
    (f, b) =>
      `${fmt(med(f, (x) => x.json.cpuUsPerReq))} (${fmt(
        ratioOf(f, b, (x) => x.json.cpuUsPerReq),
        2,
      )}×)`,
  ],
  [
    'CPU µs/request, streaming (÷ bare)',
    (f, b) =>
      `${fmt(med(f, (x) => x.sse.cpuUsPerReq))} (${fmt(
        ratioOf(f, b, (x) => x.sse.cpuUsPerReq),
        2,
      )}×)`,
  ],
  ['req/s at c=32, non-streaming', (f) => fmt(med(f, (x) => x.json.rps))],
  ['req/s at c=32, streaming', (f) => fmt(med(f, (x) => x.sse.rps))],
  ['ingest, OTLP/HTTP protobuf, spans/s', (f) => fmt(med(f, (x) => x.ingest))],
];

/** A column: a built tree on a store (`databaseUrl` set: Postgres), or the bare proxy. */
type Column = { name: string; entry?: string; postgres?: boolean; rounds: Figures[] };

async function measureRounds(upstream: string, serverUrl: string | undefined, columns: Column[]) {
  for (let round = 0; round < ROUNDS; round++) {
    for (const column of columns) {
      column.rounds.push(
        column.entry === undefined
          ? await bare(upstream)
          : await allInOne(column.entry, upstream, column.postgres ? serverUrl : undefined),
      );
    }
    const load = loadavg().map((v) => v.toFixed(2));
    console.log(`round ${round + 1}/${ROUNDS} done (load average ${load.join(' ')})`);
  }
}

async function main(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL;
  const upstreamChild = await startChild('upstream', {});
  const upstream = `http://127.0.0.1:${upstreamChild.port}`;
  console.log(
    `to11 all-in-one bench: ${ROUNDS} rounds; c=1 ${REQUESTS} requests, c=32 ${SECONDS} s; ingest ${INGEST_REQUESTS} x ${SPANS_PER_REQUEST} spans at c=8`,
  );
  const baseline = process.env.BENCH_BASELINE_START;
  const trees = [
    { tag: '', entry: START_DIST },
    ...(baseline ? [{ tag: ' (baseline)', entry: baseline }] : []),
  ];
  const columns: Column[] = [
    ...trees.map(({ tag, entry }) => ({ name: `embedded${tag}`, entry, rounds: [] })),
    ...(serverUrl
      ? trees.map(({ tag, entry }) => ({
          name: `Postgres${tag}`,
          entry,
          postgres: true,
          rounds: [],
        }))
      : []),
    { name: 'bare proxy', rounds: [] },
  ];
  try {
    await measureRounds(upstream, serverUrl, columns);
  } finally {
    await upstreamChild.stop();
  }
  const bareRounds = columns.at(-1)?.rounds ?? [];
  console.log(`\n| figure | ${columns.map((c) => c.name).join(' | ')} |`);
  console.log(`|---|${columns.map(() => '---:').join('|')}|`);
  for (const [label, cell] of ROWS) {
    console.log(`| ${label} | ${columns.map((c) => cell(c.rounds, bareRounds)).join(' | ')} |`);
  }
  console.log(
    '\nbare proxy: node:http request + pipe, started through tsx (its start time includes the loader)',
  );
}

await main();
