/**
 * OTLP `ExportTraceServiceRequest` → `SpanRecord[]` for the collector (SPEC §6), with
 * per-span rejections for `partial_success` and project binding (SPEC §3).
 */
import type { ExportTraceServiceRequest } from './gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts';
import type { InstrumentationScope } from './gen/opentelemetry/proto/common/v1/common_pb.ts';
import type { Resource } from './gen/opentelemetry/proto/resource/v1/resource_pb.ts';
import {
  type Span,
  type Span_Event,
  type Span_Link,
  Span_SpanKind,
  type Status,
  Status_StatusCode,
} from './gen/opentelemetry/proto/trace/v1/trace_pb.ts';
import { bytesToHex, isAllZeroBytes } from './hex.ts';
import { type AttributeLimits, keyValuesToAttributes } from './otlp-attributes.ts';
import { bindResourceAttributes } from './project-binding.ts';
import type {
  SpanEvent,
  SpanKind,
  SpanLink,
  SpanRecord,
  SpanResource,
  SpanScope,
  SpanStatus,
} from './span-model.ts';

/** Options of {@link otlpToSpans}. */
export interface OtlpToSpansOptions {
  /** The project every span is bound to (from the ingest token). */
  projectId: string;
  /** Attribute limits (SPEC §6); unlimited when absent. */
  limits?: AttributeLimits;
}

/** A span that was not converted; `index` counts spans across the whole request, from 0. */
export interface SpanRejection {
  index: number;
  reason: string;
}

/** The result of {@link otlpToSpans}. */
export interface OtlpToSpansResult {
  spans: SpanRecord[];
  rejected: SpanRejection[];
}

const KIND_NAMES: Record<number, SpanKind> = {
  [Span_SpanKind.INTERNAL]: 'INTERNAL',
  [Span_SpanKind.SERVER]: 'SERVER',
  [Span_SpanKind.CLIENT]: 'CLIENT',
  [Span_SpanKind.PRODUCER]: 'PRODUCER',
  [Span_SpanKind.CONSUMER]: 'CONSUMER',
};

/** OTLP span kind → span-model name; UNSPECIFIED and unknown values map to INTERNAL. */
export function spanKindFromOtlp(kind: number): SpanKind {
  return KIND_NAMES[kind] ?? 'INTERNAL';
}

/** OTLP status → span-model status; `message` only when non-empty, unknown codes → UNSET. */
export function spanStatusFromOtlp(
  status: Pick<Status, 'code' | 'message'> | undefined,
): SpanStatus {
  const code =
    status?.code === Status_StatusCode.OK
      ? 'OK'
      : status?.code === Status_StatusCode.ERROR
        ? 'ERROR'
        : 'UNSET';
  return status?.message ? { code, message: status.message } : { code };
}

/**
 * Converts an export request into span records with `source: 'otlp'`, bound to `projectId`:
 * resource attribute `project.id` is set to it and any client `project.id` (resource, scope,
 * span, event, link) is dropped.
 *
 * A span is rejected (and listed in `rejected`) when its trace id is not 16 bytes or all zeros,
 * its span id is not 8 bytes or all zeros, its parent span id is neither empty nor 8 bytes
 * (an all-zero parent means root), its start time is 0, or it ends before it starts. Links with
 * invalid ids are dropped and counted in `droppedLinksCount`. Never throws on a decoded request.
 */
export function otlpToSpans(
  request: ExportTraceServiceRequest,
  options: OtlpToSpansOptions,
): OtlpToSpansResult {
  const { projectId, limits = {} } = options;
  const spans: SpanRecord[] = [];
  const rejected: SpanRejection[] = [];
  let index = 0;
  for (const resourceSpans of request.resourceSpans) {
    const resource = convertResource(resourceSpans.resource, projectId, limits);
    for (const scopeSpans of resourceSpans.scopeSpans) {
      const scope = convertScope(scopeSpans.scope, limits);
      for (const span of scopeSpans.spans) {
        const reason = spanRejectionReason(span);
        if (reason) rejected.push({ index, reason });
        else spans.push(convertSpan(span, { projectId, resource, scope, limits }));
        index++;
      }
    }
  }
  return { spans, rejected };
}

/** The span fields {@link spanRejectionReason} checks. */
export type SpanIdentity = Pick<
  Span,
  'traceId' | 'spanId' | 'parentSpanId' | 'startTimeUnixNano' | 'endTimeUnixNano'
>;

/** Why {@link otlpToSpans} rejects a span with these ids and times; null when it is valid. */
export function spanRejectionReason(span: SpanIdentity): string | null {
  if (span.traceId.length !== 16 || isAllZeroBytes(span.traceId)) {
    return 'invalid trace_id: must be 16 bytes and not all zeros';
  }
  if (span.spanId.length !== 8 || isAllZeroBytes(span.spanId)) {
    return 'invalid span_id: must be 8 bytes and not all zeros';
  }
  if (span.parentSpanId.length !== 0 && span.parentSpanId.length !== 8) {
    return 'invalid parent_span_id: must be empty or 8 bytes';
  }
  if (span.startTimeUnixNano === 0n) return 'missing start_time_unix_nano';
  if (span.endTimeUnixNano < span.startTimeUnixNano) {
    return 'end_time_unix_nano is before start_time_unix_nano';
  }
  return null;
}

interface SpanContextParts {
  projectId: string;
  resource: SpanResource;
  scope: SpanScope | undefined;
  limits: AttributeLimits;
}

function convertSpan(span: Span, parts: SpanContextParts): SpanRecord {
  const { attributes, dropped } = keyValuesToAttributes(span.attributes, parts.limits);
  const links: SpanLink[] = [];
  let invalidLinks = 0;
  for (const link of span.links) {
    if (isValidId(link.traceId, 16) && isValidId(link.spanId, 8))
      links.push(convertLink(link, parts));
    else invalidLinks++;
  }
  const parent = span.parentSpanId;
  const record: SpanRecord = {
    projectId: parts.projectId,
    traceId: bytesToHex(span.traceId),
    spanId: bytesToHex(span.spanId),
    parentSpanId: parent.length === 8 && !isAllZeroBytes(parent) ? bytesToHex(parent) : null,
    name: span.name,
    kind: spanKindFromOtlp(span.kind),
    startTimeUnixNano: span.startTimeUnixNano,
    endTimeUnixNano: span.endTimeUnixNano,
    status: spanStatusFromOtlp(span.status),
    attributes,
    resource: parts.resource,
    events: span.events.map((event) => convertEvent(event, parts)),
    links,
    source: 'otlp',
  };
  if (span.traceState) record.traceState = span.traceState;
  if (parts.scope) record.scope = parts.scope;
  // Span.flags 0 means "not set" (older exporters); any set bit makes the low byte meaningful.
  if (span.flags !== 0) record.flags = span.flags & 0xff;
  if (span.droppedAttributesCount + dropped > 0) {
    record.droppedAttributesCount = span.droppedAttributesCount + dropped;
  }
  if (span.droppedEventsCount > 0) record.droppedEventsCount = span.droppedEventsCount;
  if (span.droppedLinksCount + invalidLinks > 0) {
    record.droppedLinksCount = span.droppedLinksCount + invalidLinks;
  }
  return record;
}

function convertEvent(event: Span_Event, parts: SpanContextParts): SpanEvent {
  const { attributes, dropped } = keyValuesToAttributes(event.attributes, parts.limits);
  const out: SpanEvent = { name: event.name, timeUnixNano: event.timeUnixNano, attributes };
  if (event.droppedAttributesCount + dropped > 0) {
    out.droppedAttributesCount = event.droppedAttributesCount + dropped;
  }
  return out;
}

function convertLink(link: Span_Link, parts: SpanContextParts): SpanLink {
  const { attributes, dropped } = keyValuesToAttributes(link.attributes, parts.limits);
  const out: SpanLink = {
    traceId: bytesToHex(link.traceId),
    spanId: bytesToHex(link.spanId),
    attributes,
  };
  if (link.traceState) out.traceState = link.traceState;
  if (link.droppedAttributesCount + dropped > 0) {
    out.droppedAttributesCount = link.droppedAttributesCount + dropped;
  }
  return out;
}

function convertResource(
  resource: Resource | undefined,
  projectId: string,
  limits: AttributeLimits,
): SpanResource {
  const { attributes, dropped } = keyValuesToAttributes(resource?.attributes ?? [], limits);
  const out: SpanResource = { attributes: bindResourceAttributes(attributes, projectId) };
  const droppedTotal = (resource?.droppedAttributesCount ?? 0) + dropped;
  if (droppedTotal > 0) out.droppedAttributesCount = droppedTotal;
  return out;
}

function convertScope(
  scope: InstrumentationScope | undefined,
  limits: AttributeLimits,
): SpanScope | undefined {
  if (!scope) return undefined;
  const { attributes } = keyValuesToAttributes(scope.attributes, limits);
  return {
    name: scope.name,
    ...(scope.version ? { version: scope.version } : {}),
    ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
  };
}

function isValidId(bytes: Uint8Array, length: number): boolean {
  return bytes.length === length && !isAllZeroBytes(bytes);
}
