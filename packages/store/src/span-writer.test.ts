import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestStore, spanFixture, storeTestEngines, type TestStore } from './testing.ts';
import type { Store } from './types.ts';

describe.each(storeTestEngines())('span writer on %s', (engine) => {
  let handle: TestStore;
  let store: Store;
  let projectId: string;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    handle = await openTestStore(engine);
    store = handle.store;
    const org = await store.organizations.create('o');
    projectId = (await store.projects.create(org.id, 'p')).id;
  });
  afterAll(() => handle.close());
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });

  it('resolves committed only once the spans can be read back', async () => {
    const writer = store.spans.createWriter({ flushIntervalMs: 10 });
    const span = spanFixture(projectId);
    const result = writer.enqueue([span]);
    if (result.status !== 'queued') throw new Error('expected queued');
    expect(await result.committed).toEqual({ status: 'ok', written: 1 });
    expect(await store.spans.getTrace(projectId, span.traceId)).toHaveLength(1);
    await writer.close();
  });

  it('flushes a full batch without waiting for the interval', async () => {
    const writer = store.spans.createWriter({ maxBatchSpans: 2, flushIntervalMs: 60_000 });
    const result = writer.enqueue([spanFixture(projectId), spanFixture(projectId)]);
    if (result.status !== 'queued') throw new Error('expected queued');
    expect(await result.committed).toEqual({ status: 'ok', written: 2 });
    await writer.close();
  });

  it('splits a large enqueue over several batches and resolves after the last', async () => {
    const writer = store.spans.createWriter({
      maxBatchSpans: 2,
      flushIntervalMs: 5,
      concurrency: 2,
    });
    const traceId = spanFixture(projectId).traceId;
    const spans = Array.from({ length: 7 }, () => spanFixture(projectId, { traceId }));
    const result = writer.enqueue(spans);
    if (result.status !== 'queued') throw new Error('expected queued');
    expect(await result.committed).toEqual({ status: 'ok', written: 7 });
    expect(await store.spans.getTrace(projectId, traceId)).toHaveLength(7);
    await writer.close();
  });

  it('answers overflow without taking anything when the queue is full', async () => {
    const writer = store.spans.createWriter({ maxQueuedSpans: 3, flushIntervalMs: 60_000 });
    const first = writer.enqueue([spanFixture(projectId), spanFixture(projectId)]);
    expect(first.status).toBe('queued');
    const rejected = spanFixture(projectId);
    expect(writer.enqueue([rejected, spanFixture(projectId)])).toEqual({ status: 'overflow' });
    expect(writer.queuedSpans).toBe(2);
    await writer.flush();
    expect(writer.queuedSpans).toBe(0);
    expect(await store.spans.getTrace(projectId, rejected.traceId)).toEqual([]);
    await writer.close();
  });

  it('drains everything on flush and close, then stops accepting', async () => {
    const writer = store.spans.createWriter({ flushIntervalMs: 60_000 });
    const results = Array.from({ length: 5 }, () => writer.enqueue([spanFixture(projectId)]));
    await writer.flush();
    expect(writer.queuedSpans).toBe(0);
    const late = writer.enqueue([spanFixture(projectId)]);
    await writer.close();
    for (const result of [...results, late]) {
      if (result.status !== 'queued') throw new Error('expected queued');
      expect(await result.committed).toEqual({ status: 'ok', written: 1 });
    }
    expect(writer.enqueue([spanFixture(projectId)])).toEqual({ status: 'overflow' });
  });

  it('answers unavailable when the store is gone, and keeps the process healthy', async () => {
    const broken = await openTestStore(engine);
    const writer = broken.store.spans.createWriter({ flushIntervalMs: 5 });
    await broken.store.close();
    const result = writer.enqueue([spanFixture(projectId)]);
    if (result.status !== 'queued') throw new Error('expected queued');
    const outcome = await result.committed;
    expect(outcome.status).toBe('unavailable');
    await writer.close();
    await broken.close();
  });

  if (engine === 'postgres') {
    it('answers unavailable when the database is dropped under it', async () => {
      const doomed = await openTestStore(engine);
      const writer = doomed.store.spans.createWriter({ flushIntervalMs: 5 });
      const ok = writer.enqueue([spanFixture(projectId)]);
      if (ok.status !== 'queued') throw new Error('expected queued');
      expect((await ok.committed).status).toBe('ok');
      const name = new URL(doomed.databaseUrl ?? '').pathname.slice(1);
      const admin = postgres(process.env.DATABASE_URL ?? '', { max: 1, onnotice: () => {} });
      await admin.unsafe(`DROP DATABASE "${name}" WITH (FORCE)`);
      await admin.end();
      const lost = writer.enqueue([spanFixture(projectId)]);
      if (lost.status !== 'queued') throw new Error('expected queued');
      expect((await lost.committed).status).toBe('unavailable');
      expect(await doomed.store.ping()).toBe(false);
      await writer.close();
      await doomed.close();
    });
  }
});
