/**
 * Hands finished spans to the store's batching writer, off the request path (SPEC §8): enqueue
 * never waits for a commit. A full buffer or a failed write is counted
 * (`to11_spans_dropped_total`, `to11_store_write_errors_total`) and logged, never silent.
 */
import type { SpanWriter } from '@to11/store';
import type { SpanRecord } from '@to11/trace-core';
import type { Logger } from 'pino';
import type { GatewayMetrics } from './gateway-metrics.ts';
import { RateLimitedWarning } from './rate-limited-log.ts';

/** Where finished spans go. */
export interface SpanSink {
  submit(spans: SpanRecord[]): void;
}

/** A {@link SpanSink} over a store {@link SpanWriter}. */
export class StoreSpanSink implements SpanSink {
  readonly #overflow: RateLimitedWarning;
  readonly #writeFailed: RateLimitedWarning;

  /** Submits to `writer`, counting losses in `metrics` and warning through `logger`. */
  constructor(
    private readonly writer: SpanWriter,
    private readonly metrics: GatewayMetrics,
    logger: Logger,
  ) {
    this.#overflow = new RateLimitedWarning(logger, 'span buffer full: gateway spans dropped');
    this.#writeFailed = new RateLimitedWarning(logger, 'span store write failed: spans lost');
  }

  submit(spans: SpanRecord[]): void {
    if (spans.length === 0) return;
    let result: ReturnType<SpanWriter['enqueue']>;
    try {
      result = this.writer.enqueue(spans);
    } catch (error) {
      this.#lost(spans.length, error);
      return;
    }
    if (result.status === 'overflow') {
      this.metrics.spansDropped.inc({}, spans.length);
      this.#overflow.hit({ dropped: spans.length, buffered: this.writer.queuedSpans });
      return;
    }
    result.committed.then(
      (write) => {
        if (write.status !== 'ok') this.#lost(spans.length, write.error);
      },
      (error: unknown) => this.#lost(spans.length, error),
    );
  }

  #lost(count: number, error: unknown): void {
    this.metrics.storeWriteErrors.inc();
    this.metrics.spansDropped.inc({}, count);
    const reason = error instanceof Error ? error.message : String(error);
    this.#writeFailed.hit({ lost: count, reason });
  }
}
