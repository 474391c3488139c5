import type { SpanRecord } from '@to11/trace-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_UNIX_NANO } from './span-row.ts';
import { createSpanWriter } from './span-writer.ts';
import { openTestStore, spanFixture, storeTestEngines, type TestStore } from './testing.ts';
import type { Store, WriteResult } from './types.ts';

describe.each(storeTestEngines())('span writes refused for their content on %s', (engine) => {
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

  /** A time the encoder refuses (StoreInputError) and one Postgres refuses (bigint out of range). */
  const badSpans = (): SpanRecord[] => [
    spanFixture(projectId, { startTimeUnixNano: 2n ** 63n, endTimeUnixNano: 2n ** 63n }),
    spanFixture(projectId, { startTimeUnixNano: MAX_UNIX_NANO, endTimeUnixNano: MAX_UNIX_NANO }),
  ];

  it('answers rejected, not unavailable, for a span the encoder or Postgres refuses', async () => {
    for (const bad of badSpans()) {
      const result = await store.spans.write([bad]);
      expect(result.status).toBe('rejected');
    }
    expect(await store.ping()).toBe(true);
  });

  it('does not retry a rejected batch, counts it, and writes the next batch', async () => {
    const calls: number[] = [];
    const counted = async (spans: SpanRecord[]): Promise<WriteResult> => {
      calls.push(spans.length);
      return store.spans.write(spans);
    };
    // Retrying on: an 'unavailable' batch would be written again after 1 ms, again and again.
    const writer = createSpanWriter(counted, { flushIntervalMs: 5, retryDelayMs: 1 }, 1);
    for (const bad of badSpans()) {
      const result = writer.enqueue([bad]);
      if (result.status !== 'queued') throw new Error('expected queued');
      expect((await result.committed).status).toBe('rejected');
    }
    expect(calls).toEqual([1, 1]);
    expect(writer.rejectedSpans).toBe(2);
    const good = spanFixture(projectId);
    const next = writer.enqueue([good]);
    if (next.status !== 'queued') throw new Error('expected queued');
    expect(await next.committed).toEqual({ status: 'ok', written: 1 });
    expect(await store.spans.getTrace(projectId, good.traceId)).toHaveLength(1);
    expect(writer.rejectedSpans).toBe(2);
    await writer.close();
  });

  it('rejects only the enqueue at fault when a refused batch held several', async () => {
    const writer = store.spans.createWriter({ flushIntervalMs: 60_000 });
    const before = spanFixture(projectId);
    const after = spanFixture(projectId);
    const results = [[before], badSpans().slice(0, 1), [after]].map((spans) =>
      writer.enqueue(spans),
    );
    await writer.flush();
    const outcomes: WriteResult[] = [];
    for (const result of results) {
      if (result.status !== 'queued') throw new Error('expected queued');
      outcomes.push(await result.committed);
    }
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['ok', 'rejected', 'ok']);
    expect(await store.spans.getTrace(projectId, before.traceId)).toHaveLength(1);
    expect(await store.spans.getTrace(projectId, after.traceId)).toHaveLength(1);
    expect(writer.rejectedSpans).toBe(1);
    await writer.close();
  });
});
