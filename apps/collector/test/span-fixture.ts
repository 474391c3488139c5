/**
 * A small trace made with the OTel JS SDK (root SERVER → CLIENT → INTERNAL, plus a span in a
 * second trace that the CLIENT span links to), with exact HrTime timestamps, and the read-API
 * JSON each span must come back as.
 */
import { context, type HrTime, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** Base second of the fixture's timestamps (2026-03-25T17:30:00Z). */
const BASE_SECONDS = 1_774_459_800;

function at(offsetSeconds: number, nanos: number): HrTime {
  return [BASE_SECONDS + offsetSeconds, nanos];
}

function nanos(time: HrTime): string {
  return (BigInt(time[0]) * 1_000_000_000n + BigInt(time[1])).toString();
}

/** Resource the fixture's "application" reports; its project.id must be overwritten. */
export const FIXTURE_RESOURCE = {
  'service.name': 'e2e-rag-pipeline',
  'service.version': '1.4.2',
  'deployment.environment.name': 'test',
  'project.id': 'proj_spoofed0000000000000000',
};

/** The spans to export and what the read API must return for each, keyed by span id. */
export interface SpanFixture {
  spans: ReadableSpan[];
  traceId: string;
  linkedTraceId: string;
  /** Read-API JSON of each span of `traceId`, in start order, for `projectId`. */
  expected(projectId: string): Record<string, unknown>[];
}

/**
 * Builds the fixture; ids are random per call so tests never collide. `processors` see the spans
 * too (e.g. a BatchSpanProcessor with a real exporter) and are flushed before this returns.
 */
export async function buildSpanFixture(processors: SpanProcessor[] = []): Promise<SpanFixture> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(FIXTURE_RESOURCE),
    spanProcessors: [new SimpleSpanProcessor(memory), ...processors],
  });
  const tracer = provider.getTracer('e2e-scope', '3.1.0');

  const other = tracer.startSpan('other-trace-root', { startTime: at(0, 1) });
  other.end(at(0, 2));

  const times = {
    rootStart: at(1, 123_456_789),
    rootEnd: at(3, 999_999_999),
    clientStart: at(1, 500_000_001),
    event: at(1, 600_000_007),
    clientEnd: at(2, 250_000_000),
    innerStart: at(1, 700_000_000),
    innerEnd: at(1, 700_000_000),
  };
  const root = tracer.startSpan('POST /v1/pipeline', {
    kind: SpanKind.SERVER,
    startTime: times.rootStart,
    attributes: {
      'http.request.method': 'POST',
      'http.response.status_code': 200,
      'pipeline.ratio': 0.25,
      'pipeline.cached': false,
      'pipeline.tags': ['retrieval', 'rerank'],
      'pipeline.scores': [1.5, 2.25],
      'pipeline.counts': [1, 2, 3],
      'pipeline.flags': [true, false],
      'project.id': 'proj_spoofed_at_span_level',
    },
  });
  root.setStatus({ code: SpanStatusCode.OK });
  const rootContext = trace.setSpan(context.active(), root);
  const client = tracer.startSpan(
    'retrieve documents',
    {
      kind: SpanKind.CLIENT,
      startTime: times.clientStart,
      attributes: { 'db.system.name': 'postgresql', 'db.response.returned_rows': 42 },
      links: [{ context: other.spanContext(), attributes: { 'link.reason': 'follows' } }],
    },
    rootContext,
  );
  client.addEvent('cache miss', { 'cache.key': 'k1', 'cache.size': 3 }, times.event);
  client.setStatus({ code: SpanStatusCode.ERROR, message: 'index unavailable' });
  const inner = tracer.startSpan(
    'parse',
    { startTime: times.innerStart },
    trace.setSpan(context.active(), client),
  );
  inner.end(times.innerEnd);
  client.end(times.clientEnd);
  root.end(times.rootEnd);
  await provider.forceFlush();
  const spans = memory.getFinishedSpans();
  await provider.shutdown();

  const traceId = root.spanContext().traceId;
  const resourceAttributes = (projectId: string) => ({
    ...FIXTURE_RESOURCE,
    'project.id': projectId,
  });
  const scope = { name: 'e2e-scope', version: '3.1.0' };
  return {
    spans,
    traceId,
    linkedTraceId: other.spanContext().traceId,
    expected: (projectId) => [
      {
        traceId,
        spanId: root.spanContext().spanId,
        parentSpanId: null,
        name: 'POST /v1/pipeline',
        kind: 'SERVER',
        startTimeUnixNano: nanos(times.rootStart),
        endTimeUnixNano: nanos(times.rootEnd),
        status: { code: 'OK' },
        attributes: {
          'http.request.method': 'POST',
          'http.response.status_code': 200,
          'pipeline.ratio': 0.25,
          'pipeline.cached': false,
          'pipeline.tags': ['retrieval', 'rerank'],
          'pipeline.scores': [1.5, 2.25],
          'pipeline.counts': [1, 2, 3],
          'pipeline.flags': [true, false],
        },
        resource: { attributes: resourceAttributes(projectId) },
        scope,
        events: [],
        links: [],
        flags: 1,
        source: 'otlp',
      },
      {
        traceId,
        spanId: client.spanContext().spanId,
        parentSpanId: root.spanContext().spanId,
        name: 'retrieve documents',
        kind: 'CLIENT',
        startTimeUnixNano: nanos(times.clientStart),
        endTimeUnixNano: nanos(times.clientEnd),
        status: { code: 'ERROR', message: 'index unavailable' },
        attributes: { 'db.system.name': 'postgresql', 'db.response.returned_rows': 42 },
        resource: { attributes: resourceAttributes(projectId) },
        scope,
        events: [
          {
            name: 'cache miss',
            timeUnixNano: nanos(times.event),
            attributes: { 'cache.key': 'k1', 'cache.size': 3 },
          },
        ],
        links: [
          {
            traceId: other.spanContext().traceId,
            spanId: other.spanContext().spanId,
            attributes: { 'link.reason': 'follows' },
          },
        ],
        flags: 1,
        source: 'otlp',
      },
      {
        traceId,
        spanId: inner.spanContext().spanId,
        parentSpanId: client.spanContext().spanId,
        name: 'parse',
        kind: 'INTERNAL',
        startTimeUnixNano: nanos(times.innerStart),
        endTimeUnixNano: nanos(times.innerEnd),
        status: { code: 'UNSET' },
        attributes: {},
        resource: { attributes: resourceAttributes(projectId) },
        scope,
        events: [],
        links: [],
        flags: 1,
        source: 'otlp',
      },
    ],
  };
}
