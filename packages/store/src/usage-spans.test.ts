/**
 * Counted usage kept at write time (migration 0004): whatever order and batches a trace's spans
 * arrive in, the stored totals are those of the whole trace, as the client-side rule
 * (`@to11/trace-core` countedUsage over the trace's spans) computes them.
 */
import {
  chmodSync,
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SpanRecord } from '@to11/trace-core';
import { countedUsage, hasUsage, innermostSpans } from '@to11/trace-core/counted-usage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveMigrationsFolder } from './migrations.ts';
import { openStore } from './store.ts';
import {
  openTestStore,
  randomHex,
  seededRandom as rng,
  spanFixture,
  storeTestEngines,
  type TestStore,
} from './testing.ts';

const MS = 1_000_000n;
const DAY_MS = 86_400_000;

const usage = (input: number, output: number, cost?: number) => ({
  'gen_ai.usage.input_tokens': input,
  'gen_ai.usage.output_tokens': output,
  ...(cost === undefined ? {} : { 'gen_ai.usage.cost': cost }),
});

/** [name, parent name | null, attributes] of one span. */
type Spec = [string, string | null, SpanRecord['attributes']];

/**
 * An app trace: an SDK wrapper over two provider calls, the first through the gateway (HTTP
 * client → gateway HTTP → gateway GenAI span, all with usage), a second call side by side, a tool.
 */
const APP_TRACE: Spec[] = [
  ['root', null, {}],
  ['ai.generateText', 'root', usage(30, 12)],
  ['ai.generateText.doGenerate', 'ai.generateText', usage(20, 8)],
  ['POST', 'ai.generateText.doGenerate', {}],
  ['POST /v1/chat/completions', 'POST', {}],
  ['chat gpt-4o-mini', 'POST /v1/chat/completions', usage(20, 8, 0.25)],
  ['ai.generateText.doGenerate#2', 'ai.generateText', usage(10, 4, 0.5)],
  ['execute_tool search', 'root', {}],
  ['side call', 'root', usage(7, 3, 0.125)],
];

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe.each(storeTestEngines())('counted usage kept at write time on %s', (engine) => {
  let handle: TestStore;
  let projectId: string;
  /** Each trace gets its own minute, so a dashboard over that minute sees only its calls. */
  let minute = 0;
  const base = BigInt(Date.now() - 2 * 3_600_000) * MS;

  beforeAll(async () => {
    handle = await openTestStore(engine);
    const org = await handle.store.organizations.create('o');
    projectId = (await handle.store.projects.create(org.id, 'p')).id;
  });
  afterAll(async () => {
    await handle.close();
  });

  /**
   * The spans of `spec` as one trace, children starting after their parents; `nested`: each span
   * also ends before the ones listed above it, so every later span lies within the earlier ones.
   */
  function traceOf(spec: Spec[], start = base + BigInt(minute++) * 60_000n * MS, nested = false) {
    const traceId = randomHex(16);
    const ids = new Map(spec.map(([name]) => [name, randomHex(8)]));
    return spec.map(([name, parent, attributes], i) =>
      spanFixture(projectId, {
        traceId,
        name,
        spanId: ids.get(name) as string,
        parentSpanId: parent === null ? null : (ids.get(parent) ?? parent),
        startTimeUnixNano: start + BigInt(i) * MS,
        endTimeUnixNano: start + BigInt(nested ? 200 - i : i + 100) * MS,
        attributes: { 'gen_ai.request.model': 'm', 'gen_ai.provider.name': 'p', ...attributes },
      }),
    );
  }

  async function write(spans: SpanRecord[]) {
    expect((await handle.store.spans.write(spans)).status).toBe('ok');
  }

  /** The stored totals of a trace: list row, dashboard over its minute, session call count. */
  async function stored(spans: SpanRecord[]) {
    const [first] = spans;
    if (first === undefined) throw new Error('no spans');
    const start = first.startTimeUnixNano; // traceOf starts a trace with its first span
    const list = await handle.store.spans.listTraces(projectId, {
      sinceUnixNano: start,
      untilUnixNano: start,
    });
    const summary = list.traces.find((trace) => trace.traceId === first.traceId);
    const board = await handle.store.spans.dashboard(projectId, {
      sinceUnixNano: start,
      untilUnixNano: start + 59_000n * MS,
      groupBy: 'model',
    });
    return {
      list: {
        inputTokens: summary?.inputTokens,
        outputTokens: summary?.outputTokens,
        cost: summary?.cost,
      },
      board: {
        calls: board.totals.calls,
        inputTokens: board.totals.inputTokens,
        outputTokens: board.totals.outputTokens,
        cost: board.totals.cost,
      },
    };
  }

  /** What the whole trace gives by the client-side rule over the spans as read back. */
  async function expected(traceId: string) {
    const spans = await handle.store.spans.getTrace(projectId, traceId);
    const totals = countedUsage(spans);
    const calls = innermostSpans(spans, hasUsage).length;
    return {
      list: totals,
      board: {
        calls,
        inputTokens: totals.inputTokens,
        outputTokens: totals.outputTokens,
        cost: totals.cost,
      },
    };
  }

  it('counts a trace written whole as the rule does', async () => {
    const spans = traceOf(APP_TRACE);
    await write(spans);
    const totals = await stored(spans);
    expect(totals).toEqual(await expected(spans[0]?.traceId ?? ''));
    // The gateway's span (20/8) counts for the first call, the direct call and the side call.
    expect(totals.list).toEqual({ inputTokens: 37, outputTokens: 15, cost: 0.875 });
    expect(totals.board.calls).toBe(3);
  });

  it('uncounts a parent when its child with usage arrives later', async () => {
    const spans = traceOf([
      ['wrapper', null, usage(14, 9)],
      ['http', 'wrapper', {}],
      ['chat', 'http', usage(11, 7, 0.5)],
    ]);
    const [wrapper, http, chat] = spans as [SpanRecord, SpanRecord, SpanRecord];
    await write([wrapper]);
    expect((await stored(spans)).list).toEqual({ inputTokens: 14, outputTokens: 9, cost: null });
    await write([chat]);
    // Without the span linking them, both are side by side: both count.
    expect((await stored(spans)).board.calls).toBe(2);
    await write([http]);
    expect(await stored(spans)).toEqual({
      list: { inputTokens: 11, outputTokens: 7, cost: 0.5 },
      board: { calls: 1, inputTokens: 11, outputTokens: 7, cost: 0.5 },
    });
  });

  it('counts the gateway span, not the library span around it, when the span between was never exported', async () => {
    // A Langfuse generation (OTLP) around a call through the gateway; the HTTP client span that
    // links them was filtered out by the library's processor, so it is never stored.
    const missing = randomHex(8);
    const spans = traceOf([
      ['app', null, {}],
      ['generation', 'app', usage(11, 7)],
      ['POST /v1/chat/completions', missing, {}],
      ['chat gpt-4o-mini', 'POST /v1/chat/completions', usage(11, 7, 0.5)],
    ]).map((span) => {
      if (span.name === 'app') return { ...span, source: 'otlp' as const };
      // The generation lasts longer than the call it wraps (traceOf gives each span 100 ms).
      if (span.name === 'generation') {
        return {
          ...span,
          source: 'otlp' as const,
          endTimeUnixNano: span.endTimeUnixNano + 50n * MS,
        };
      }
      return span;
    });
    // The library's spans first, the gateway's later (they come from two processes).
    await write(spans.slice(0, 2));
    expect((await stored(spans)).board.calls).toBe(1);
    await write(spans.slice(2));
    const totals = await stored(spans);
    expect(totals).toEqual({
      list: { inputTokens: 11, outputTokens: 7, cost: 0.5 },
      board: { calls: 1, inputTokens: 11, outputTokens: 7, cost: 0.5 },
    });
    expect(totals).toEqual(await expected(spans[0]?.traceId ?? ''));
  });

  it('does not count a parent that arrives after its child with usage', async () => {
    const spans = traceOf([
      ['wrapper', null, usage(14, 9)],
      ['chat', 'wrapper', usage(11, 7, 0.5)],
    ]);
    await write([spans[1] as SpanRecord]);
    await write([spans[0] as SpanRecord]);
    expect((await stored(spans)).board).toEqual({
      calls: 1,
      inputTokens: 11,
      outputTokens: 7,
      cost: 0.5,
    });
  });

  it('gives the whole-trace answer for any arrival order and batching', async () => {
    const random = rng(13);
    for (let round = 0; round < 12; round++) {
      const spans = traceOf(APP_TRACE);
      const order = shuffled(spans, random);
      while (order.length > 0) await write(order.splice(0, 1 + Math.floor(random() * 3)));
      expect(await stored(spans)).toEqual(await expected(spans[0]?.traceId ?? ''));
    }
  });

  it('gives the whole-trace answer for an app trace through the gateway, with and without the linking span', async () => {
    const random = rng(17);
    for (let round = 0; round < 12; round++) {
      // The app's spans come from OTLP, the gateway's own two from the gateway; in odd rounds the
      // HTTP client span between them was never exported.
      const gateway = new Set(['POST /v1/chat/completions', 'chat gpt-4o-mini']);
      const spans = traceOf(APP_TRACE, undefined, true)
        .map((span) => (gateway.has(span.name) ? span : { ...span, source: 'otlp' as const }))
        .filter((span) => round % 2 === 0 || span.name !== 'POST');
      const order = shuffled(spans, random);
      while (order.length > 0) await write(order.splice(0, 1 + Math.floor(random() * 3)));
      const totals = await stored(spans);
      expect(totals).toEqual(await expected(spans[0]?.traceId ?? ''));
      expect(totals.list).toEqual({ inputTokens: 37, outputTokens: 15, cost: 0.875 });
    }
  });

  it('ignores a span written twice', async () => {
    const spans = traceOf(APP_TRACE);
    await write(spans);
    await write(spans.slice(0, 4));
    expect((await stored(spans)).list).toEqual({ inputTokens: 37, outputTokens: 15, cost: 0.875 });
  });

  if (engine === 'postgres') {
    it('counts right when parts of a trace are written at the same time', async () => {
      const random = rng(7);
      const traces = Array.from({ length: 6 }, () => traceOf(APP_TRACE));
      // Each trace in three parts, all parts of all traces written concurrently (the pool's
      // connections each run their own transaction).
      await Promise.all(
        traces.flatMap((spans) => {
          const order = shuffled(spans, random);
          return [order.slice(0, 3), order.slice(3, 6), order.slice(6)].map(write);
        }),
      );
      for (const spans of traces) {
        expect(await stored(spans)).toEqual(await expected(spans[0]?.traceId ?? ''));
      }
    });
  }

  it('recounts a trace when retention drops the day of a descendant', async () => {
    // A child with usage whose clock runs early: it starts 40 days ago, its parent today.
    const today = BigInt(Date.now() - 60_000) * MS;
    const old = BigInt(Date.now() - 40 * DAY_MS) * MS;
    const traceId = randomHex(16);
    const parent = spanFixture(projectId, {
      traceId,
      startTimeUnixNano: today,
      endTimeUnixNano: today + 10n * MS,
      attributes: { 'gen_ai.request.model': 'm', ...usage(14, 9) },
    });
    const child = spanFixture(projectId, {
      traceId,
      parentSpanId: parent.spanId,
      startTimeUnixNano: old,
      endTimeUnixNano: old + 10n * MS,
      attributes: { 'gen_ai.request.model': 'm', ...usage(11, 7) },
    });
    await write([parent, child]);
    const listed = async () =>
      (await handle.store.spans.listTraces(projectId, { sinceUnixNano: old - MS })).traces.find(
        (trace) => trace.traceId === traceId,
      );
    expect((await listed())?.inputTokens).toBe(11);
    await handle.store.spans.dropPartitionsOlderThan(30);
    expect((await listed())?.inputTokens).toBe(14);
    const board = await handle.store.spans.dashboard(projectId, {
      sinceUnixNano: today,
      untilUnixNano: today,
      groupBy: 'model',
    });
    expect(board.totals.calls).toBe(1);
  });
});

/** A copy in `dir` of the store's migrations before number `first`, with their journal. */
function migrationsBefore(dir: string, first: number): string {
  const folder = join(dir, 'drizzle');
  cpSync(resolveMigrationsFolder(), folder, { recursive: true });
  const later = (name: string) => /^\d{4}_/.test(name) && Number(name.slice(0, 4)) >= first;
  for (const file of readdirSync(folder).filter(later)) rmSync(join(folder, file));
  for (const file of readdirSync(join(folder, 'meta')).filter(later)) {
    rmSync(join(folder, 'meta', file));
  }
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  journal.entries = journal.entries.filter((entry) => !later(entry.tag));
  writeFileSync(journalPath, JSON.stringify(journal));
  return folder;
}

/** A temporary directory the embedded Postgres (another user when run as root) can pass. */
function storeDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'to11-usage-'));
  chmodSync(dir, 0o711);
  return dir;
}

describe.each(['pglite', 'postgres'] as const)(
  'migrations 0004 and 0005 on an embedded %s store with spans',
  (embeddedEngine) => {
    it('backfills the usage spans and counted totals of the spans stored before 0004', async () => {
      const dir = storeDir();
      try {
        // The migrations up to 0003, as a store of an earlier release had them.
        const folder = migrationsBefore(dir, 4);
        const dataDir = join(dir, 'data');
        const before = await openStore({ dataDir, migrationsFolder: folder, embeddedEngine });
        const org = await before.organizations.create('o');
        const projectId = (await before.projects.create(org.id, 'p')).id;
        const traceId = randomHex(16);
        const [wrapper, chat] = [randomHex(8), randomHex(8)];
        const start = BigInt(Date.now()) * MS;
        const span = (spanId: string, parentSpanId: string | null, tokens: number) =>
          spanFixture(projectId, {
            traceId,
            spanId,
            parentSpanId,
            startTimeUnixNano: start,
            attributes: { 'gen_ai.request.model': 'm', ...usage(tokens, 1) },
          });
        expect(
          (await before.spans.write([span(wrapper, null, 14), span(chat, wrapper, 11)])).status,
        ).toBe('ok');
        await before.close();

        const after = await openStore({ dataDir, embeddedEngine });
        try {
          const [trace] = (await after.spans.listTraces(projectId)).traces;
          expect(trace).toMatchObject({ traceId, inputTokens: 11, outputTokens: 1 });
          const board = await after.spans.dashboard(projectId, {
            sinceUnixNano: start,
            untilUnixNano: start,
            groupBy: 'model',
          });
          expect(board.totals.calls).toBe(1);
        } finally {
          await after.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('recounts at 0005 the traces where a gateway span hangs below a span never exported', async () => {
      const dir = storeDir();
      try {
        const dataDir = join(dir, 'data');
        const before = await openStore({
          dataDir,
          migrationsFolder: migrationsBefore(dir, 5),
          embeddedEngine,
        });
        const org = await before.organizations.create('o');
        const projectId = (await before.projects.create(org.id, 'p')).id;
        const traceId = randomHex(16);
        const start = BigInt(Date.now()) * MS;
        const span = (
          spanId: string,
          parentSpanId: string | null,
          source: SpanRecord['source'],
          tokens: number,
          offset: bigint,
        ) =>
          spanFixture(projectId, {
            traceId,
            spanId,
            parentSpanId,
            source,
            startTimeUnixNano: start + offset * MS,
            endTimeUnixNano: start + (100n - offset) * MS,
            attributes: { 'gen_ai.request.model': 'm', ...usage(tokens, 1) },
          });
        // A Langfuse generation, and the gateway's GenAI span below an HTTP span never stored.
        const generation = span(randomHex(8), null, 'otlp', 11, 0n);
        const gateway = span(randomHex(8), randomHex(8), 'gateway', 11, 10n);
        expect((await before.spans.write([generation, gateway])).status).toBe('ok');
        expect((await before.spans.listTraces(projectId)).traces[0]?.inputTokens).toBe(22);
        await before.close();

        const after = await openStore({ dataDir, embeddedEngine });
        try {
          const [trace] = (await after.spans.listTraces(projectId)).traces;
          expect(trace).toMatchObject({ traceId, inputTokens: 11, outputTokens: 1 });
          const board = await after.spans.dashboard(projectId, {
            sinceUnixNano: start,
            untilUnixNano: start + 59_000n * MS,
            groupBy: 'model',
          });
          expect(board.totals.calls).toBe(1);
        } finally {
          await after.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);
