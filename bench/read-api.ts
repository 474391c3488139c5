/**
 * Read benchmark (issue 13): fills a throwaway Postgres database with ~1,000,000 spans (100,000
 * traces over 30 days, read-fill.ts) through the store's own schema (COPY of the store's row
 * encoding), then times the store functions the read API calls: p50 / p95 of the list's first
 * page (last 8 hours), each filter alone, a content search, facets, sessions, the dashboard for
 * 24 h and 30 d, and a 2,000-span trace by id. Targets: list + filters p95 ≤ 100 ms, dashboard
 * 30 d ≤ 300 ms, trace by id ≤ 50 ms.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres pnpm exec tsx read-api.ts [--traces 100000] [--runs 15] [--agents 5] [--keep <database>]
 *
 * With `--keep`, the database is left in place and a later run with the same name skips the fill
 * (drop it with `dropdb`); the data's "now" is then the first run's.
 */
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { openStore, type Store } from '@to11/store';
import { spanCopyText } from '@to11/store/testing';
import type { SpanRecord } from '@to11/trace-core';
import postgres from 'postgres';
import { agentTrace, fillTraces } from './read-fill.ts';

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  console.error('read-api: set DATABASE_URL (a Postgres server where it may create a database)');
  process.exit(1);
}
const { values } = parseArgs({
  options: {
    traces: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '15' },
    agents: { type: 'string', default: '5' },
    /** Keep the filled database under this name (reused, not refilled, on the next run). */
    keep: { type: 'string' },
    /** Time only the queries whose label matches this regular expression. */
    only: { type: 'string' },
  },
});
const TRACES = Number(values.traces);
const RUNS = Number(values.runs);
const AGENTS = Number(values.agents);
const ONLY = values.only === undefined ? null : new RegExp(values.only);
const MS = 1_000_000n;
const HOUR_MS = 3_600_000;
const DAY_NS = 86_400_000n * MS;

/** Creates the daily partitions of the last 31 days, as the writer would on demand. */
async function createPartitions(db: postgres.Sql, nowMs: number): Promise<void> {
  const today = Math.floor(nowMs / 86_400_000);
  for (let day = today - 31; day <= today; day++) {
    const from = BigInt(day) * DAY_NS;
    const name = `spans_p${new Date(day * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '')}`;
    await db.unsafe(
      `CREATE TABLE IF NOT EXISTS "${name}" PARTITION OF spans FOR VALUES FROM (${from}) TO (${from + DAY_NS})`,
    );
  }
}

/** COPYs span chunks on one reserved connection. */
async function copier(db: postgres.Sql) {
  const reserved = await db.reserve();
  return {
    async copy(spans: SpanRecord[]) {
      const { columns, text } = spanCopyText(spans);
      const stream = await reserved
        .unsafe(`COPY spans (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN`)
        .writable();
      const finished = once(stream, 'finish');
      stream.end(Buffer.from(text));
      await finished;
    },
    release: () => reserved.release(),
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

interface Result {
  label: string;
  p50: number;
  p95: number;
  target: number | null;
  detail: string;
}

async function time(
  label: string,
  target: number | null,
  run: () => Promise<string>,
): Promise<Result | null> {
  if (ONLY !== null && !ONLY.test(label)) return null;
  let detail = await run(); // warm-up (plans, caches)
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    detail = await run();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const result = {
    label,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    target,
    detail,
  };
  const verdict =
    target === null ? '' : result.p95 <= target ? `  ok (≤ ${target})` : `  OVER ${target}`;
  console.log(
    `${label.padEnd(34)} p50 ${result.p50.toFixed(1).padStart(7)} ms  p95 ${result.p95.toFixed(1).padStart(7)} ms  ${detail}${verdict}`,
  );
  return result;
}

async function benchmark(store: Store, projectId: string, nowMs: number, agentId: string) {
  const now = BigInt(nowMs) * MS;
  const last8h = { sinceUnixNano: now - 8n * BigInt(HOUR_MS) * MS, untilUnixNano: now };
  const page = async (filters: object) => {
    const list = await store.spans.listTraces(projectId, { ...last8h, ...filters });
    return `${list.traces.length} rows`;
  };
  const recent = await store.spans.listTraces(projectId, { ...last8h, limit: 1 });
  const someTrace = recent.traces[0]?.traceId ?? '';
  const LIST = 100;
  const results: Array<Result | null> = [];
  results.push(await time('list, last 8 h (first page)', LIST, () => page({})));
  const filters: Array<[string, object]> = [
    ['model=gpt-4o-mini', { models: ['gpt-4o-mini'] }],
    ['provider=anthropic,mistral', { providers: ['anthropic', 'mistral'] }],
    ['status=error', { status: 'error' }],
    ['sessionId', { sessionId: 'session-3' }],
    ['service=checkout', { service: 'checkout' }],
    ['userId', { userId: 'user-42' }],
    ['environment=staging', { environment: 'staging' }],
    ['hasToolCalls=true', { hasToolCalls: true }],
    ['minTokens=3000', { minTokens: 3000 }],
    ['maxCost=0.001', { maxCost: 0.001 }],
    ['minDurationMs=4000', { minDurationMs: 4000 }],
    ['attr tenant=tenant-7', { attributes: [['tenant', 'tenant-7']] }],
    ['q=<trace id prefix>', { q: someTrace.slice(0, 10) }],
    ['q=<span name> "db.query"', { q: 'db.query' }],
    ['q=<content> "zanzibar"', { q: 'zanzibar' }],
  ];
  for (const [label, filter] of filters)
    results.push(await time(`list ${label}`, LIST, () => page(filter)));
  results.push(
    await time('facets, last 8 h', null, async () => {
      const facets = await store.spans.facets(projectId, last8h);
      return `${facets.models.length} models`;
    }),
  );
  results.push(
    await time('sessions, last 8 h', null, async () => {
      const list = await store.spans.listSessions(projectId, last8h);
      return `${list.sessions.length} sessions`;
    }),
  );
  for (const [label, days, target] of [
    ['dashboard 24 h', 1n, null],
    ['dashboard 30 d', 30n, 300],
  ] as const) {
    results.push(
      await time(label, target, async () => {
        const board = await store.spans.dashboard(projectId, {
          sinceUnixNano: now - days * DAY_NS,
          untilUnixNano: now,
          groupBy: 'model',
        });
        return `${board.totals.calls} calls`;
      }),
    );
  }
  results.push(
    await time('trace by id (2,000 spans)', 50, async () => {
      const spans = await store.spans.getTrace(projectId, agentId);
      return `${spans.length} spans`;
    }),
  );
  return results.filter((result) => result !== null);
}

const name = values.keep ?? `to11_bench_${Math.random().toString(16).slice(2, 10)}`;
const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
const [exists] = await admin<
  { n: number }[]
>`select count(*)::int as n from pg_database where datname = ${name}`;
if (!exists?.n) await admin.unsafe(`CREATE DATABASE "${name}"`);
const url = new URL(serverUrl);
url.pathname = `/${name}`;
const databaseUrl = url.toString();
try {
  const store = await openStore({ databaseUrl });
  const db = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const [org] = await db<{ id: string }[]>`select id from organizations where name = 'bench'`;
  let projectId: string;
  let agentId: string;
  let nowMs: number;
  if (org === undefined) {
    ({ projectId, agentId, nowMs } = await fill(store, db));
  } else {
    const [row] = await db<{ project_id: string; trace_id: string; start: string }[]>`
      select project_id, trace_id, (start_time_unix_nano / 1000000)::text as start
        from spans where name = 'invoke_agent planner' order by start_time_unix_nano desc limit 1`;
    if (row === undefined) throw new Error(`${name} holds no bench data`);
    projectId = row.project_id;
    agentId = row.trace_id;
    nowMs = Number(row.start) + HOUR_MS;
    console.log(`read-api: reusing ${name}`);
  }
  await db.end();
  const results = await benchmark(store, projectId, nowMs, agentId);
  const over = results.filter((r) => r.target !== null && r.p95 > r.target);
  console.log(
    over.length === 0 ? 'all targets met' : `over target: ${over.map((r) => r.label).join(', ')}`,
  );
  await store.close();
} finally {
  if (values.keep === undefined)
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}

/** Fills the store; answers the project, the recent agent trace and the data's "now". */
async function fill(store: Store, db: postgres.Sql) {
  const org = await store.organizations.create('bench');
  const project = await store.projects.create(org.id, 'bench');
  const nowMs = Date.now();
  await createPartitions(db, nowMs);
  const started = performance.now();
  const sink = await copier(db);
  let agentId = '';
  for (let a = 0; a < AGENTS; a++) {
    const at = a === 0 ? nowMs - HOUR_MS : nowMs - (a * 29 * 86_400_000) / AGENTS;
    const spans = agentTrace(project.id, BigInt(Math.floor(at)) * MS, 2000, a + 1);
    if (a === 0) agentId = spans[0]?.traceId ?? '';
    await sink.copy(spans);
  }
  await fillTraces(project.id, TRACES, nowMs, (spans) => sink.copy(spans));
  sink.release();
  await db.unsafe('ANALYZE');
  const [count] = await db<{ n: number }[]>`select count(*)::int as n from spans`;
  const fillSeconds = (performance.now() - started) / 1000;
  console.log(
    `read-api: ${count?.n} spans in ${TRACES + AGENTS} traces over 30 days, filled in ${fillSeconds.toFixed(0)} s; ${RUNS} timed runs each`,
  );
  return { projectId: project.id, agentId, nowMs };
}
