/**
 * Store write benchmark (issue "store"): spans/s of (a) a raw COPY of pre-encoded span rows
 * straight into `spans` on one connection, and (b) the batched span writer end to end (enqueue →
 * committed), same rows, same table, same fresh database, same run. Goal: (b) ≥ 70% of (a).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres pnpm exec tsx store-write.ts [spans] [rounds]
 *
 * BENCH_MIGRATIONS=<folder> applies the migrations of that folder instead of the store's own (an
 * older schema: copy packages/store/drizzle without the newer migrations and their journal
 * entries), to measure what a migration's triggers cost on ingest.
 *
 * BENCH_MIXED=1 writes app traces through the gateway instead of the gateway's spans alone: each
 * trace's first span comes from OTLP (a library's LLM span with usage, lasting longer than the
 * other two), and the two gateway spans point at parents never stored (a processor that drops
 * the HTTP client span), the heaviest case of the count-once rule (migration 0005).
 */

import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { openStore, type Store } from '@to11/store';
import { spanCopyText } from '@to11/store/testing';
import type { SpanRecord } from '@to11/trace-core';
import postgres from 'postgres';

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  console.error('store-write: set DATABASE_URL (a Postgres server where it may create a database)');
  process.exit(1);
}
const SPANS = Number(process.argv[2] ?? 100_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const ENQUEUE_CHUNK = 50; // spans per enqueue, like a busy collector request
const MIXED = process.env.BENCH_MIXED === '1';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** One GenAI-ish span with ~1 KB of attributes. */
function makeSpan(projectId: string, traceId: string, i: number, start: bigint): SpanRecord {
  const model = i % 3 === 0 ? 'claude-sonnet-4' : 'gpt-4o-mini';
  return {
    projectId,
    traceId,
    spanId: hex(8),
    parentSpanId: i % 3 === 0 ? null : hex(8),
    name: `chat ${model}`,
    kind: 'CLIENT',
    startTimeUnixNano: start,
    endTimeUnixNano: start + (MIXED && i % 3 === 0 ? 2_000_000_000n : 812_345_678n),
    status: { code: i % 50 === 0 ? 'ERROR' : 'OK' },
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': i % 3 === 0 ? 'anthropic' : 'openai',
      'gen_ai.request.model': model,
      'gen_ai.response.model': `${model}-2025-01-01`,
      'gen_ai.response.id': `chatcmpl-${hex(12)}`,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 200 + (i % 900),
      'gen_ai.usage.output_tokens': 40 + (i % 300),
      'gen_ai.usage.cost': 0.000_123 * (1 + (i % 7)),
      'gen_ai.request.temperature': 0.7,
      'gen_ai.request.max_tokens': 1024,
      'gen_ai.session.id': `session-${i % 1000}`,
      'gen_ai.server.time_to_first_token': 0.231,
      'gen_ai.server.request.duration': 0.812,
      'server.address': 'api.openai.com',
      'server.port': 443,
      'gateway.routing.layer': 'route',
      'gateway.route.name': 'default',
      'gateway.attempt': 1,
      'gen_ai.input.messages': JSON.stringify([
        { role: 'system', parts: [{ type: 'text', content: 'You are a helpful assistant.' }] },
        {
          role: 'user',
          parts: [
            {
              type: 'text',
              content: `Summarize ticket #${i}: the customer reports "the export hangs at 99%" after upgrading; logs attached.`,
            },
          ],
        },
      ]),
      'gen_ai.output.messages': JSON.stringify([
        {
          role: 'assistant',
          parts: [
            {
              type: 'text',
              content:
                'The export stalls on the final flush; retry with a smaller batch and check disk space.',
            },
          ],
          finish_reason: 'stop',
        },
      ]),
    },
    resource: {
      attributes: {
        'project.id': projectId,
        'service.name': 'to11-gateway',
        'service.version': '0.1.0',
      },
    },
    scope: { name: 'to11-gateway', version: '0.1.0' },
    events: [],
    links: [],
    flags: 1,
    source: MIXED && i % 3 === 0 ? 'otlp' : 'gateway',
  };
}

function makeSpans(projectId: string, count: number): SpanRecord[] {
  const now = BigInt(Date.now()) * 1_000_000n;
  const spans: SpanRecord[] = [];
  let traceId = hex(16);
  for (let i = 0; i < count; i++) {
    if (i % 3 === 0) traceId = hex(16);
    spans.push(makeSpan(projectId, traceId, i, now - BigInt(count - i) * 1_000_000n));
  }
  return spans;
}

/** The rows as COPY text, encoded up front into Buffers of 64 rows (off the JS heap). */
function encodeChunks(spans: SpanRecord[]): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < spans.length; i += 64) {
    chunks.push(Buffer.from(spanCopyText(spans.slice(i, i + 64)).text));
  }
  return chunks;
}

/** (a) One COPY of every row on one connection, straight into `spans`; encoding not timed. */
async function rawCopy(url: string, columns: string[], chunks: Buffer[]): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const reserved = await sql.reserve();
  await reserved`select 1`;
  const started = performance.now();
  const stream = await reserved
    .unsafe(`COPY spans (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN`)
    .writable();
  const finished = once(stream, 'finish');
  for (const chunk of chunks) {
    if (!stream.write(chunk)) await once(stream, 'drain');
  }
  stream.end();
  await finished;
  const seconds = (performance.now() - started) / 1000;
  reserved.release();
  await sql.end();
  return seconds;
}

/** (b) The store's writer: enqueue in chunks, wait for every committed promise. */
async function writer(store: Store, spans: SpanRecord[]): Promise<number> {
  // Store defaults (512 spans per batch, 2 batches in flight on Postgres); room for 20k queued spans.
  const spanWriter = store.spans.createWriter({ maxQueuedSpans: 20_000 });
  const pending: Promise<unknown>[] = [];
  const failures: Error[] = [];
  const started = performance.now();
  for (let i = 0; i < spans.length; i += ENQUEUE_CHUNK) {
    const chunk = spans.slice(i, i + ENQUEUE_CHUNK);
    let result = spanWriter.enqueue(chunk);
    while (result.status === 'overflow') {
      await pending.shift();
      result = spanWriter.enqueue(chunk);
    }
    pending.push(
      result.committed.then((r) => {
        if (r.status !== 'ok') failures.push(r.error);
      }),
    );
  }
  await Promise.all(pending);
  const seconds = (performance.now() - started) / 1000;
  await spanWriter.close();
  if (failures.length > 0) throw new Error(`${failures.length} batches failed: ${failures[0]}`);
  return seconds;
}

async function countSpans(db: postgres.Sql): Promise<number> {
  const [row] = await db<{ count: number }[]>`select count(*)::int as count from spans`;
  return row?.count ?? 0;
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function line(label: string, copy: number, batched: number): string {
  const rate = (value: number) => `${value.toFixed(0).padStart(7)} spans/s`;
  const ratio = ((100 * batched) / copy).toFixed(0);
  return `${label.padEnd(8)} raw COPY ${rate(copy)} | writer ${rate(batched)} | writer/COPY ${ratio}%`;
}

const name = `to11_bench_${hex(4)}`;
const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`CREATE DATABASE "${name}"`);
const url = new URL(serverUrl);
url.pathname = `/${name}`;
const databaseUrl = url.toString();
try {
  const migrationsFolder = process.env.BENCH_MIGRATIONS;
  const store = await openStore({
    databaseUrl,
    ...(migrationsFolder === undefined ? {} : { migrationsFolder }),
  });
  const org = await store.organizations.create('bench');
  const project = await store.projects.create(org.id, 'bench');
  const spans = makeSpans(project.id, SPANS);
  const { columns, text: sample } = spanCopyText(spans.slice(0, 1000));
  const db = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  // What the spans trigger keeps (trace summaries, usage spans) goes with the spans, so each round
  // writes new traces.
  const derived = await db<{ name: string }[]>`
    select t as name from unnest(array['trace_summaries', 'usage_spans']) t
     where to_regclass(t) is not null`;
  const reset = async () => {
    await db`truncate spans`;
    for (const { name: table } of derived) await db.unsafe(`truncate "${table}"`);
    await db`checkpoint`;
  };
  // Warm up: creates the day partitions and the writer's connections and staging tables.
  await writer(store, makeSpans(project.id, 2_000));
  const kb = (sample.length / 1000 / 1024).toFixed(2);
  console.log(`store-write: ${SPANS} spans (~${kb} KB per row as COPY text), ${ROUNDS} rounds`);
  const copyRates: number[] = [];
  const writerRates: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    await reset();
    // Encoded per round and dropped before the writer runs, so its heap does not burden the writer.
    const copy = SPANS / (await rawCopy(databaseUrl, columns, encodeChunks(spans)));
    const copied = await countSpans(db);
    await reset();
    const batched = SPANS / (await writer(store, spans));
    const written = await countSpans(db);
    if (copied !== SPANS || written !== SPANS) throw new Error(`row counts ${copied} / ${written}`);
    copyRates.push(copy);
    writerRates.push(batched);
    console.log(line(`round ${round}`, copy, batched));
  }
  console.log(line('median', median(copyRates), median(writerRates)));
  console.log(line('best', Math.max(...copyRates), Math.max(...writerRates)));
  console.log('goal: writer ≥ 70% of raw COPY');
  await db.end();
  await store.close();
} finally {
  await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}
