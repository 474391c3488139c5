import type { SpanRecord } from '@to11/trace-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partitionName } from './partitions.ts';
import { openStore } from './store.ts';
import {
  openTestStore,
  randomHex,
  spanFixture,
  storeTestEngines,
  type TestStore,
} from './testing.ts';
import type { Store } from './types.ts';

const DAY_NS = 86_400_000_000_000n;

/** A span using every optional field, with times beyond 2^53 and non-ASCII text. */
function fullSpan(projectId: string, traceId: string): SpanRecord {
  const start = 1_795_460_147_123_456_789n;
  return spanFixture(projectId, {
    traceId,
    parentSpanId: randomHex(8),
    traceState: 'vendor=a,other=b',
    name: 'chat 模型 🚀 "quoted"\ttab\\slash',
    kind: 'SERVER',
    startTimeUnixNano: start,
    endTimeUnixNano: start + 1n,
    status: { code: 'ERROR', message: 'upstream said “no”' },
    attributes: {
      'gen_ai.request.model': 'claude-sonnet',
      'gen_ai.usage.input_tokens': 12,
      'big.int': '9223372036854775807',
      'float.value': 0.125,
      'bool.value': false,
      'null.value': null,
      'array.value': ['a', 1, true, ['nested']],
      'map.value': { inner: { deep: 'ü\n' } },
      'bytes.value': 'AAEC',
    },
    resource: {
      attributes: { 'project.id': projectId, 'service.name': 'app' },
      droppedAttributesCount: 2,
    },
    scope: { name: 'my-lib', version: '1.2.3', attributes: { 'scope.attr': 'x' } },
    events: [
      {
        name: 'first',
        timeUnixNano: start + 5n,
        attributes: { 'e.k': 'v' },
        droppedAttributesCount: 1,
      },
      { name: 'second', timeUnixNano: 18_446_744_073_709_551_61n, attributes: {} },
    ],
    links: [
      {
        traceId: randomHex(16),
        spanId: randomHex(8),
        traceState: 'k=v',
        attributes: { l: 1 },
        droppedAttributesCount: 3,
      },
      { traceId: randomHex(16), spanId: randomHex(8), attributes: {} },
    ],
    flags: 1,
    droppedAttributesCount: 4,
    droppedEventsCount: 0,
    droppedLinksCount: 6,
    source: 'otlp',
  });
}

describe.each(storeTestEngines())('span store on %s', (engine) => {
  let handle: TestStore;
  let store: Store;
  let projectId: string;

  beforeAll(async () => {
    handle = await openTestStore(engine);
    store = handle.store;
    const org = await store.organizations.create('o');
    projectId = (await store.projects.create(org.id, 'p')).id;
  });
  afterAll(() => handle.close());

  it('round-trips every field of a span exactly', async () => {
    const traceId = randomHex(16);
    const span = fullSpan(projectId, traceId);
    expect(await store.spans.write([span])).toEqual({ status: 'ok', written: 1 });
    const [stored] = await store.spans.getTrace(projectId, traceId);
    expect(stored).toStrictEqual(span);
  });

  it('leaves optional fields out and keeps a null root parent when they were not set', async () => {
    const span = spanFixture(projectId);
    await store.spans.write([span]);
    const [stored] = await store.spans.getTrace(projectId, span.traceId);
    expect(stored).toStrictEqual(span);
    expect(stored && Object.keys(stored)).not.toContain('traceState');
    expect(stored?.parentSpanId).toBeNull();
  });

  it('stores a re-sent span once, also within one batch', async () => {
    const span = spanFixture(projectId);
    expect(await store.spans.write([span, span])).toEqual({ status: 'ok', written: 2 });
    expect(await store.spans.write([span])).toEqual({ status: 'ok', written: 1 });
    expect(await store.spans.getTrace(projectId, span.traceId)).toHaveLength(1);
  });

  it('stores the new spans of a batch that also holds spans already stored', async () => {
    const traceId = randomHex(16);
    const stored = spanFixture(projectId, { traceId });
    await store.spans.write([stored]);
    const fresh = Array.from({ length: 3 }, () => spanFixture(projectId, { traceId }));
    expect(await store.spans.write([...fresh, stored])).toEqual({ status: 'ok', written: 4 });
    expect(await store.spans.getTrace(projectId, traceId)).toHaveLength(4);
    const next = spanFixture(projectId);
    expect(await store.spans.write([next])).toEqual({ status: 'ok', written: 1 });
  });

  it('stores big batches whose already-stored spans come first or last', async () => {
    for (const position of ['first', 'last'] as const) {
      const traceId = randomHex(16);
      const stored = spanFixture(projectId, { traceId });
      await store.spans.write([stored]);
      const fresh = Array.from({ length: 1200 }, () => spanFixture(projectId, { traceId }));
      const batch = position === 'first' ? [stored, ...fresh] : [...fresh, stored];
      expect(await store.spans.write(batch)).toEqual({ status: 'ok', written: 1201 });
      expect(await store.spans.getTrace(projectId, traceId)).toHaveLength(1201);
    }
  });

  if (engine === 'postgres') {
    it('recreates a partition another process dropped after this one cached it', async () => {
      const other = await openStore({ databaseUrl: handle.databaseUrl ?? '' });
      try {
        await store.spans.write([spanFixture(projectId)]);
        const dropped = await other.spans.dropPartitionsOlderThan(-2);
        expect(dropped).toContain(partitionName(Math.floor(Date.now() / 86_400_000)));
        const span = spanFixture(projectId);
        expect(await store.spans.write([span])).toEqual({ status: 'ok', written: 1 });
        expect(await store.spans.getTrace(projectId, span.traceId)).toHaveLength(1);
      } finally {
        await other.close();
      }
    });
  }

  it('returns a trace ordered by start time, only for its project', async () => {
    const traceId = randomHex(16);
    const base = 1_700_000_000_000_000_000n;
    const late = spanFixture(projectId, {
      traceId,
      startTimeUnixNano: base + 10n,
      endTimeUnixNano: base + 20n,
    });
    const early = spanFixture(projectId, {
      traceId,
      startTimeUnixNano: base,
      endTimeUnixNano: base + 30n,
    });
    const foreign = spanFixture('proj_other', {
      traceId,
      startTimeUnixNano: base,
      endTimeUnixNano: base + 1n,
    });
    await store.spans.write([late, foreign, early]);
    const spans = await store.spans.getTrace(projectId, traceId.toUpperCase());
    expect(spans.map((s) => s.spanId)).toEqual([early.spanId, late.spanId]);
  });

  it('writes spans spread over several days into daily partitions', async () => {
    const traceId = randomHex(16);
    const day = 1_600_000_000_000_000_000n;
    const spans = [0n, 1n, 2n].map((n) =>
      spanFixture(projectId, {
        traceId,
        startTimeUnixNano: day + n * DAY_NS,
        endTimeUnixNano: day + n * DAY_NS + 5n,
      }),
    );
    expect(await store.spans.write(spans)).toEqual({ status: 'ok', written: 3 });
    expect(await store.spans.getTrace(projectId, traceId)).toHaveLength(3);
  });

  it('drops the partitions that ended before the retention window, and only those', async () => {
    const old = spanFixture(projectId, {
      startTimeUnixNano: 1_500_000_000_000_000_000n,
      endTimeUnixNano: 1_500_000_000_000_000_001n,
    });
    const fresh = spanFixture(projectId);
    await store.spans.write([old, fresh]);
    const dropped = await store.spans.dropPartitionsOlderThan(30);
    expect(dropped).toContain(partitionName(Math.floor(1_500_000_000_000 / 86_400_000)));
    expect(dropped).not.toContain(partitionName(Math.floor(Date.now() / 86_400_000)));
    expect(await store.spans.getTrace(projectId, old.traceId)).toEqual([]);
    expect(await store.spans.getTrace(projectId, fresh.traceId)).toHaveLength(1);
    // The writer recreates a dropped day on demand.
    expect((await store.spans.write([old])).status).toBe('ok');
    expect(await store.spans.getTrace(projectId, old.traceId)).toHaveLength(1);
  });

  it('answers rejected, without throwing, for a time a bigint column cannot hold', async () => {
    const span = spanFixture(projectId, { startTimeUnixNano: 2n ** 64n - 1n });
    const result = await store.spans.write([span]);
    expect(result.status).toBe('rejected');
  });

  it('writes an empty batch as a no-op', async () => {
    expect(await store.spans.write([])).toEqual({ status: 'ok', written: 0 });
  });
});
