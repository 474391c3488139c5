/**
 * Forwarding every stored span to the user's own OTLP backends (to11 reference §10.1, the dual
 * pipeline): one {@link Destination} per endpoint, each with its own bounded queue and official
 * exporter. Losses are counted per endpoint and reason and logged at most once a second.
 */
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { ExportTarget, ForwardSettings } from '@to11/config';
import type { SpanRecord } from '@to11/trace-core';
import { Destination, type DestinationStats, type DropReason } from './destination.ts';
import { grpcMetadata } from './grpc-metadata.ts';

/** Forwarding settings (from `TO11_EXPORT_OTLP_*`) and where losses are logged. */
export interface ForwarderOptions extends ForwardSettings {
  /** Longest a span waits for its batch to fill. Default 500 ms. */
  flushIntervalMs?: number;
  /** Where losses are logged (a pino logger fits). */
  logger: { warn(fields: Record<string, unknown>, message: string): void };
}

/** Forwards stored spans; `submit` never waits. */
export interface SpanForwarder {
  /** Whether any endpoint is configured (a writer skips the hand-over when not). */
  readonly active: boolean;
  submit(spans: readonly SpanRecord[]): void;
  /** Counters per endpoint. */
  stats(): DestinationStats[];
  /** Exports what is queued for at most `timeoutMs` (the rest is dropped and counted). */
  close(timeoutMs: number): Promise<void>;
}

const LOG_INTERVAL_MS = 1000;
const DEFAULT_FLUSH_INTERVAL_MS = 500;

/** The endpoint as a metrics label and log field: no user info, no query. */
export function endpointLabel(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return endpoint;
  }
}

function createExporter(target: ExportTarget, timeoutMs: number): SpanExporter {
  if (target.protocol === 'grpc') {
    return new GrpcExporter({
      url: target.endpoint,
      metadata: grpcMetadata(target.headers),
      timeoutMillis: timeoutMs,
    });
  }
  return new ProtoExporter({
    url: target.endpoint,
    headers: target.headers,
    timeoutMillis: timeoutMs,
  });
}

/** A forwarder over `options.targets`; with no targets, one that does nothing. */
export function createSpanForwarder(options: ForwarderOptions): SpanForwarder {
  const losses = new Map<string, { count: number; error?: string }>();
  let lastLog = 0;
  const reportLoss = (endpoint: string, reason: DropReason, count: number, error?: string) => {
    const key = `${endpoint} ${reason}`;
    const pending = losses.get(key) ?? { count: 0 };
    pending.count += count;
    if (error !== undefined) pending.error = error;
    losses.set(key, pending);
    const now = Date.now();
    if (now - lastLog < LOG_INTERVAL_MS) return;
    lastLog = now;
    for (const [lost, { count: dropped, error: cause }] of losses) {
      const [where, why] = lost.split(' ');
      options.logger.warn(
        { endpoint: where, reason: why, droppedSpans: dropped, ...(cause ? { error: cause } : {}) },
        'span forwarding: spans dropped',
      );
    }
    losses.clear();
  };
  const destinations = options.targets.map(
    (target) =>
      new Destination(
        endpointLabel(target.endpoint),
        createExporter(target, options.timeoutMs),
        {
          maxQueuedSpans: options.maxQueuedSpans,
          maxBatchSpans: options.maxBatchSpans,
          flushIntervalMs: options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS,
        },
        reportLoss,
      ),
  );
  return {
    active: destinations.length > 0,
    submit(spans) {
      if (spans.length === 0) return;
      for (const destination of destinations) destination.submit(spans);
    },
    stats: () => destinations.map((destination) => destination.stats()),
    async close(timeoutMs) {
      await Promise.all(destinations.map((destination) => destination.close(timeoutMs)));
    },
  };
}
