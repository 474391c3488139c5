/**
 * OTLP batches as a user's app sends them: spans made by the OpenTelemetry JS SDK, each batch
 * one trace of its own (so its spans can be counted in the store), serialised with the official
 * protobuf serializer for raw OTLP/HTTP posts, or handed to an official exporter as is.
 */
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { runLoops } from './fault-load.ts';

/** One batch: `spans` all in trace `traceId`. */
export interface SpanBatch {
  traceId: string;
  spans: ReadableSpan[];
}

const memory = new InMemorySpanExporter();
const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'to11-fault-tests' }),
  spanProcessors: [new SimpleSpanProcessor(memory)],
});
const tracer = provider.getTracer('fault-tests');

/** A root span and `size - 1` children, ended at once. */
export function makeBatch(size: number): SpanBatch {
  const root = tracer.startSpan('pipeline', {}, ROOT_CONTEXT);
  const parent = trace.setSpan(ROOT_CONTEXT, root);
  for (let i = 1; i < size; i++) {
    tracer.startSpan(`step ${i}`, { attributes: { 'step.index': i } }, parent).end();
  }
  root.end();
  const spans = memory.getFinishedSpans();
  memory.reset();
  return { traceId: root.spanContext().traceId, spans: [...spans] };
}

/** The batch as an OTLP `ExportTraceServiceRequest` in protobuf. */
export function protobufBody(batch: SpanBatch): Uint8Array {
  const body = ProtobufTraceSerializer.serializeRequest(batch.spans);
  if (body === undefined) throw new Error('the serializer returned nothing');
  return body;
}

/**
 * POSTs the batch to `/v1/traces` as OTLP/HTTP protobuf with an API key bearer (SPEC §10);
 * resolves with the status and `Retry-After`, or with status 0 when the connection failed.
 */
export async function postBatch(
  httpUrl: string,
  apiKey: string,
  batch: SpanBatch,
): Promise<{ status: number; retryAfter: string | null }> {
  try {
    const response = await fetch(`${httpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', authorization: `Bearer ${apiKey}` },
      body: protobufBody(batch),
    });
    await response.arrayBuffer();
    return { status: response.status, retryAfter: response.headers.get('retry-after') };
  } catch {
    return { status: 0, retryAfter: null };
  }
}

/** What a {@link startBatchLoad} run sent and what the collector acknowledged. */
export interface BatchLoadReport {
  /** Trace ids of every batch sent, acknowledged or not. */
  sent: string[];
  /** Trace ids of the batches answered 200. */
  acknowledged: string[];
  /** Answers other than 200, by status (0: the connection failed). */
  refused: Record<number, number>;
}

/**
 * Posts batches of `batchSize` spans in `concurrency` loops until stopped, counting on the client
 * side which ones the collector acknowledged.
 */
export function startBatchLoad(options: {
  httpUrl: string;
  apiKey: string;
  concurrency: number;
  batchSize: number;
}): { report: BatchLoadReport; stop(): Promise<BatchLoadReport> } {
  const report: BatchLoadReport = { sent: [], acknowledged: [], refused: {} };
  return runLoops(options.concurrency, report, async () => {
    const batch = makeBatch(options.batchSize);
    report.sent.push(batch.traceId);
    const { status } = await postBatch(options.httpUrl, options.apiKey, batch);
    if (status === 200) report.acknowledged.push(batch.traceId);
    else report.refused[status] = (report.refused[status] ?? 0) + 1;
  });
}
