/**
 * One forwarding destination: a bounded queue of stored spans, drained in batches by one
 * official OTLP exporter (http/protobuf or gRPC), one export in flight at a time. The exporter
 * retries what OTLP calls retryable (network errors, 429, 502-504) with backoff within its
 * timeout; a batch that still fails is dropped and counted. Submitting never waits: past the
 * bound, spans are dropped and counted.
 */
import { ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { SpanRecord } from '@to11/trace-core';
import { ResourceCache, toReadableSpan } from './readable-span.ts';

/** Why forwarded spans were lost. */
export type DropReason = 'queue_full' | 'export_failed' | 'shutdown';

/** Counters of one destination, for `/metrics`. */
export interface DestinationStats {
  /** The endpoint without credentials (the metrics label). */
  endpoint: string;
  /** Spans waiting or in the export under way. */
  queuedSpans: number;
  /** Spans the endpoint acknowledged. */
  exportedSpans: number;
  /** Spans lost, by reason. */
  droppedSpans: Record<DropReason, number>;
}

/** Where a destination reports losses (logged at most once a second by the forwarder). */
export type LossReporter = (
  endpoint: string,
  reason: DropReason,
  count: number,
  error?: string,
) => void;

/** How a destination batches. */
export interface DestinationLimits {
  maxQueuedSpans: number;
  maxBatchSpans: number;
  /** Longest a span waits for a batch to fill. */
  flushIntervalMs: number;
}

/** A queue in front of one exporter. */
export class Destination {
  readonly #queue: SpanRecord[] = [];
  readonly #stats: DestinationStats;
  #inFlight = 0;
  #timer: NodeJS.Timeout | undefined;
  #exporting: Promise<void> | undefined;
  #closed = false;

  constructor(
    endpoint: string,
    private readonly exporter: SpanExporter,
    private readonly limits: DestinationLimits,
    private readonly reportLoss: LossReporter,
  ) {
    this.#stats = {
      endpoint,
      queuedSpans: 0,
      exportedSpans: 0,
      droppedSpans: { queue_full: 0, export_failed: 0, shutdown: 0 },
    };
  }

  /** A copy of the counters. */
  stats(): DestinationStats {
    return {
      ...this.#stats,
      queuedSpans: this.#queue.length + this.#inFlight,
      droppedSpans: { ...this.#stats.droppedSpans },
    };
  }

  /** Takes what fits in the queue, drops (and counts) the rest; never waits. */
  submit(spans: readonly SpanRecord[]): void {
    if (this.#closed) {
      this.#drop('shutdown', spans.length);
      return;
    }
    const room = this.limits.maxQueuedSpans - this.#queue.length - this.#inFlight;
    const taken = room >= spans.length ? spans : spans.slice(0, Math.max(room, 0));
    for (const span of taken) this.#queue.push(span);
    if (taken.length < spans.length) this.#drop('queue_full', spans.length - taken.length);
    this.#schedule();
  }

  /** Exports what is queued for at most `timeoutMs`, then shuts the exporter down. */
  async close(timeoutMs: number): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    const deadline = Date.now() + timeoutMs;
    const drain = async () => {
      for (;;) {
        if (this.#exporting) await this.#exporting;
        else if (this.#queue.length > 0) this.#exportNext();
        else return;
      }
    };
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(deadline - Date.now(), 0));
    });
    await Promise.race([drain(), expired]);
    clearTimeout(timer);
    const left = this.#queue.splice(0).length;
    if (left > 0) this.#drop('shutdown', left);
    await this.exporter.shutdown().catch(() => undefined);
  }

  #schedule(): void {
    if (this.#closed || this.#exporting || this.#queue.length === 0) return;
    if (this.#queue.length >= this.limits.maxBatchSpans) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#exportNext();
      return;
    }
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#exportNext();
    }, this.limits.flushIntervalMs);
    this.#timer.unref();
  }

  #exportNext(): void {
    const batch = this.#queue.splice(0, this.limits.maxBatchSpans);
    if (batch.length === 0) return;
    const resources = new ResourceCache();
    const spans: ReadableSpan[] = batch.map((record) => toReadableSpan(record, resources));
    this.#inFlight = batch.length;
    this.#exporting = new Promise<void>((resolve) => {
      this.exporter.export(spans, (result) => {
        if (result.code === ExportResultCode.SUCCESS) this.#stats.exportedSpans += batch.length;
        else this.#drop('export_failed', batch.length, result.error?.message);
        this.#inFlight = 0;
        this.#exporting = undefined;
        resolve();
        this.#schedule();
      });
    });
  }

  #drop(reason: DropReason, count: number, error?: string): void {
    if (count <= 0) return;
    this.#stats.droppedSpans[reason] += count;
    this.reportLoss(this.#stats.endpoint, reason, count, error);
  }
}
