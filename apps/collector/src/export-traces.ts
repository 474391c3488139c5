/**
 * The one export path behind gRPC, Connect, gRPC-web and OTLP/HTTP (SPEC §6): convert, bind to
 * the token's project, hand to the batched writer, and answer only once the batch is committed.
 */
import type { SpanWriter } from '@to11/store';
import { MAX_UNIX_NANO } from '@to11/store';
import type {
  AttributeLimits,
  ExportTraceServiceRequest,
  OtlpDecodeError,
  SpanDecodeOptions,
  SpanDecodeResult,
} from '@to11/trace-core';
import {
  decodeRequestSpans,
  decodeResourceSpansParts,
  decodeSpans,
  isOtlpDecodeError,
} from '@to11/trace-core';
import type { Logger } from 'pino';
import { logSafeMessage, RETRY_AFTER_SECONDS } from './errors.ts';
import type { IngestProject } from './ingest-auth.ts';

/**
 * What an export carries: messages already decoded (OTLP JSON, Connect JSON), or protobuf bytes
 * (OTLP/HTTP protobuf, binary gRPC). All go through trace-core's one protobuf span decoder.
 */
export type TraceRequest =
  | { messages: ExportTraceServiceRequest }
  | { protobuf: Uint8Array }
  | { resourceSpans: Uint8Array[] };

/** Result of one export; failures the caller should retry are values, not exceptions. */
export type ExportOutcome =
  | { status: 'ok'; rejectedSpans: number; errorMessage: string }
  /** The request could not be decoded: nothing was stored. */
  | { status: 'invalid'; message: string }
  /** The store refused the spans for their content (not retryable): nothing was stored. */
  | { status: 'rejected'; message: string }
  | {
      status: 'unavailable';
      reason: RefusalReason;
      message: string;
      retryAfterSeconds: number;
    };

/** Why an export was answered 503 / UNAVAILABLE (the `reason` label of the refusal counter). */
export type RefusalReason = 'store' | 'overflow' | 'timeout' | 'closing';

/** Dependencies of the export path. */
export interface TraceExporterDeps {
  writer: SpanWriter;
  limits: AttributeLimits;
  /** Longest wait for a commit before answering `unavailable` (the retry is idempotent). */
  ackTimeoutMs: number;
  logger: Logger;
}

/** The export path plus its shutdown. */
export interface TraceExporter {
  exportTraces(request: TraceRequest, project: IngestProject): Promise<ExportOutcome>;
  /** Exports started and not yet answered. */
  readonly inFlight: number;
  /** Exports answered 503 / UNAVAILABLE since start, by reason. */
  refusals(): ReadonlyMap<RefusalReason, number>;
  /**
   * Refuses new exports, waits for those in flight, then flushes and closes the writer, for at
   * most `timeoutMs` (a store that hangs must not hang the shutdown: what is left is logged).
   */
  close(timeoutMs: number): Promise<void>;
}

/** Creates the export path over one shared writer, so concurrent exports share batches. */
export function createTraceExporter(deps: TraceExporterDeps): TraceExporter {
  const { writer, limits, ackTimeoutMs, logger } = deps;
  const pending = new Set<Promise<ExportOutcome>>();
  const refused = new Map<RefusalReason, number>();
  let closing = false;

  function counted(outcome: ExportOutcome): ExportOutcome {
    if (outcome.status === 'unavailable') {
      refused.set(outcome.reason, (refused.get(outcome.reason) ?? 0) + 1);
    }
    return outcome;
  }

  async function run(request: TraceRequest, project: IngestProject): Promise<ExportOutcome> {
    const converted = convert(request, { projectId: project.projectId, limits });
    if (isOtlpDecodeError(converted)) return { status: 'invalid', message: converted.error };
    const rejections = converted.rejected.map((r) => `span #${r.index}: ${r.reason}`);
    // The store keeps nanoseconds in a signed bigint: a later time would fail the whole batch.
    const spans = converted.spans.filter((span) => {
      if (span.startTimeUnixNano <= MAX_UNIX_NANO && span.endTimeUnixNano <= MAX_UNIX_NANO) {
        return true;
      }
      rejections.push(`span ${span.spanId}: time beyond 2^63-1 nanoseconds`);
      return false;
    });
    const ok: ExportOutcome = {
      status: 'ok',
      rejectedSpans: rejections.length,
      errorMessage: describeRejections(rejections),
    };
    if (spans.length === 0) return ok;
    const queued = writer.enqueue(spans);
    if (queued.status === 'overflow') {
      logger.warn({ projectId: project.projectId, spans: spans.length }, 'span queue full');
      return unavailable('overflow', 'the collector is overloaded: span queue full, retry later');
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), ackTimeoutMs);
    });
    const result = await Promise.race([queued.committed, timeout]);
    clearTimeout(timer);
    if (result === 'timeout') {
      logger.warn({ projectId: project.projectId, ackTimeoutMs }, 'span commit timed out');
      return unavailable('timeout', 'the trace store did not commit in time, retry later');
    }
    if (result.status === 'rejected') {
      const err = logSafeMessage(result.error);
      logger.warn({ projectId: project.projectId, spans: spans.length, err }, 'spans rejected');
      // The store's message may quote span content: the caller gets a fixed one.
      return {
        status: 'rejected',
        message: 'the trace store rejected these spans for their content',
      };
    }
    if (result.status === 'unavailable') {
      const err = logSafeMessage(result.error);
      logger.warn({ projectId: project.projectId, err }, 'span write failed');
      return unavailable('store', 'the trace store is unavailable, retry later');
    }
    logger.debug(
      { projectId: project.projectId, spans: spans.length, rejected: rejections.length },
      'spans committed',
    );
    return ok;
  }

  return {
    exportTraces(request, project) {
      if (closing) {
        return Promise.resolve(counted(unavailable('closing', 'the collector is shutting down')));
      }
      const promise = run(request, project).then(counted);
      pending.add(promise);
      const forget = (): void => {
        pending.delete(promise);
      };
      promise.then(forget, forget);
      return promise;
    },
    get inFlight() {
      return pending.size;
    },
    refusals() {
      return refused;
    },
    async close(timeoutMs) {
      closing = true;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const flushed = Promise.allSettled([...pending]).then(() => writer.close());
      const result = await Promise.race([flushed, timeout]);
      clearTimeout(timer);
      if (result === 'timeout') {
        logger.error(
          { unflushedSpans: writer.queuedSpans, timeoutMs },
          'shutdown: the store did not take every queued span in time',
        );
      }
    },
  };
}

function convert(
  request: TraceRequest,
  options: SpanDecodeOptions,
): SpanDecodeResult | OtlpDecodeError {
  if ('messages' in request) return decodeRequestSpans(request.messages, options);
  if ('protobuf' in request) return decodeSpans(request.protobuf, options);
  return decodeResourceSpansParts(request.resourceSpans, options);
}

const LISTED_REJECTIONS = 5;

/** `partial_success.error_message`: the first few rejected spans and why (empty when none). */
export function describeRejections(rejected: string[]): string {
  if (rejected.length === 0) return '';
  const listed = rejected.slice(0, LISTED_REJECTIONS);
  const more = rejected.length - listed.length;
  return `${rejected.length} span(s) rejected: ${listed.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
}

function unavailable(reason: RefusalReason, message: string): ExportOutcome {
  return { status: 'unavailable', reason, message, retryAfterSeconds: RETRY_AFTER_SECONDS };
}
