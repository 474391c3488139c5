import type { SpanRecord } from '@to11/trace-core';
import { describe, expect, it } from 'vitest';
import { spanFixture } from './span-fixture.ts';
import { type BatchWrite, createSpanWriter } from './span-writer.ts';
import type { WriteResult } from './types.ts';

const down = (): WriteResult => ({ status: 'unavailable', error: new Error('store down') });

/** A batch sink that fails its first `failures` calls and records what it wrote. */
function flakySink(failures: number): {
  write: BatchWrite;
  written: SpanRecord[][];
  calls: () => number;
} {
  let calls = 0;
  const written: SpanRecord[][] = [];
  return {
    written,
    calls: () => calls,
    async write(spans) {
      calls++;
      if (calls <= failures) return down();
      written.push(spans);
      return { status: 'ok', written: spans.length };
    },
  };
}

describe('createSpanWriter', () => {
  it('retries a failed batch when asked to, and resolves ok once it is written', async () => {
    const sink = flakySink(2);
    const writer = createSpanWriter(sink.write, { flushIntervalMs: 1, retryDelayMs: 5 }, 1);
    const result = writer.enqueue([spanFixture('proj_a')]);
    if (result.status !== 'queued') throw new Error('expected queued');
    expect(await result.committed).toEqual({ status: 'ok', written: 1 });
    expect(sink.calls()).toBe(3);
    await writer.close();
  });

  it('stops retrying on close and resolves unavailable', async () => {
    const sink = flakySink(Number.POSITIVE_INFINITY);
    const writer = createSpanWriter(sink.write, { flushIntervalMs: 1, retryDelayMs: 60_000 }, 1);
    const result = writer.enqueue([spanFixture('proj_a')]);
    if (result.status !== 'queued') throw new Error('expected queued');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await writer.close();
    expect((await result.committed).status).toBe('unavailable');
  });

  it('resolves unavailable at once without retries, also when the sink throws', async () => {
    const writer = createSpanWriter(
      async () => {
        throw new Error('bug in the sink');
      },
      { flushIntervalMs: 1 },
      1,
    );
    const result = writer.enqueue([spanFixture('proj_a')]);
    if (result.status !== 'queued') throw new Error('expected queued');
    const outcome = await result.committed;
    expect(outcome.status === 'unavailable' && outcome.error.message).toBe('bug in the sink');
    await writer.close();
  });

  it('resolves a call spread over several batches unavailable if any of them failed', async () => {
    const sink = flakySink(1);
    const writer = createSpanWriter(sink.write, { maxBatchSpans: 2, flushIntervalMs: 1 }, 1);
    const result = writer.enqueue(Array.from({ length: 5 }, () => spanFixture('proj_a')));
    if (result.status !== 'queued') throw new Error('expected queued');
    expect((await result.committed).status).toBe('unavailable');
    expect(sink.written.map((batch) => batch.length)).toEqual([2, 1]);
    await writer.close();
  });

  it('keeps at most `concurrency` batches in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const writer = createSpanWriter(
      async (spans) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return { status: 'ok', written: spans.length };
      },
      { maxBatchSpans: 1, flushIntervalMs: 1, concurrency: 3 },
      1,
    );
    for (let i = 0; i < 12; i++) writer.enqueue([spanFixture('proj_a')]);
    await writer.close();
    expect(most).toBe(3);
  });
});
