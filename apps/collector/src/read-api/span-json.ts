/**
 * The read API's JSON encoding of spans and trace summaries (SPEC §6, §9 "Read API encoding",
 * "Trace list"): lowercase hex ids, `parentSpanId` null on roots, nanosecond times as decimal
 * strings, attribute maps as stored (already JSON-ready in the span model).
 */
import type { TraceSummary } from '@to11/store';
import type { SpanEvent, SpanRecord, SpanStatus } from '@to11/trace-core';

/**
 * One span as `GET /api/v1/traces/{traceId}` returns it: the span model without its project,
 * times as decimal strings.
 */
export type SpanJson = Omit<
  SpanRecord,
  'projectId' | 'startTimeUnixNano' | 'endTimeUnixNano' | 'events'
> & {
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  events: (Omit<SpanEvent, 'timeUnixNano'> & { timeUnixNano: string })[];
};

/** One row of `GET /api/v1/traces`. */
export type TraceSummaryJson = Omit<TraceSummary, 'startTimeUnixNano'> & {
  startTimeUnixNano: string;
};

/** Encodes a stored span for the read API; optional fields appear only when set. */
export function spanToJson(span: SpanRecord): SpanJson {
  const status: SpanStatus =
    span.status.message === undefined || span.status.message === ''
      ? { code: span.status.code }
      : { code: span.status.code, message: span.status.message };
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    ...(span.traceState ? { traceState: span.traceState } : {}),
    name: span.name,
    kind: span.kind,
    startTimeUnixNano: span.startTimeUnixNano.toString(),
    endTimeUnixNano: span.endTimeUnixNano.toString(),
    status,
    attributes: span.attributes,
    resource: {
      attributes: span.resource.attributes,
      ...(span.resource.droppedAttributesCount
        ? { droppedAttributesCount: span.resource.droppedAttributesCount }
        : {}),
    },
    ...(span.scope ? { scope: span.scope } : {}),
    events: span.events.map((event) => ({
      name: event.name,
      timeUnixNano: event.timeUnixNano.toString(),
      attributes: event.attributes,
      ...(event.droppedAttributesCount
        ? { droppedAttributesCount: event.droppedAttributesCount }
        : {}),
    })),
    links: span.links.map((link) => ({
      traceId: link.traceId,
      spanId: link.spanId,
      ...(link.traceState ? { traceState: link.traceState } : {}),
      attributes: link.attributes,
      ...(link.droppedAttributesCount
        ? { droppedAttributesCount: link.droppedAttributesCount }
        : {}),
    })),
    ...(span.flags !== undefined ? { flags: span.flags } : {}),
    ...(span.droppedAttributesCount ? { droppedAttributesCount: span.droppedAttributesCount } : {}),
    ...(span.droppedEventsCount ? { droppedEventsCount: span.droppedEventsCount } : {}),
    ...(span.droppedLinksCount ? { droppedLinksCount: span.droppedLinksCount } : {}),
    source: span.source,
  };
}

/** Encodes a trace summary for the trace list. */
export function traceSummaryToJson(summary: TraceSummary): TraceSummaryJson {
  return {
    traceId: summary.traceId,
    rootName: summary.rootName,
    startTimeUnixNano: summary.startTimeUnixNano.toString(),
    durationMs: summary.durationMs,
    spanCount: summary.spanCount,
    status: summary.status,
    models: summary.models,
    providers: summary.providers,
    inputTokens: summary.inputTokens,
    outputTokens: summary.outputTokens,
    cost: summary.cost,
    sessionId: summary.sessionId,
    ...(summary.serviceName === undefined ? {} : { serviceName: summary.serviceName }),
  };
}
