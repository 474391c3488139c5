/**
 * The internal span model shared by the gateway, the collector and the store.
 *
 * Values are JSON-ready so they go into `jsonb` and out of the read API unchanged (SPEC §9
 * "Read API encoding"): ids are lowercase hex, times are nanoseconds as `bigint`, attribute
 * values are flat JSON (int64 beyond 2^53 as decimal strings, bytes as base64 strings,
 * arrays stay arrays, OTLP kvlists become objects).
 */

/** An attribute value as stored and served: OTLP AnyValue mapped to JSON. */
export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | AttributeValue[]
  | { [key: string]: AttributeValue };

/** A flat attribute map (`{"gen_ai.request.model": "gpt-4o", ...}`). */
export type Attributes = Record<string, AttributeValue>;

/** Span kind names as the read API writes them. */
export type SpanKind = 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';

/** Span status code names as the read API writes them. */
export type StatusCode = 'UNSET' | 'OK' | 'ERROR';

/** A span's status; `message` only when set. */
export interface SpanStatus {
  code: StatusCode;
  message?: string;
}

/** A span event. */
export interface SpanEvent {
  name: string;
  timeUnixNano: bigint;
  attributes: Attributes;
  droppedAttributesCount?: number;
}

/** A link to another span. */
export interface SpanLink {
  traceId: string;
  spanId: string;
  traceState?: string;
  attributes: Attributes;
  droppedAttributesCount?: number;
}

/** The resource that produced a span; `attributes['project.id']` is always the owning project. */
export interface SpanResource {
  attributes: Attributes;
  droppedAttributesCount?: number;
}

/** The instrumentation scope that produced a span. */
export interface SpanScope {
  name: string;
  version?: string;
  attributes?: Attributes;
}

/** Where a span came from: recorded by the gateway, or ingested over OTLP. */
export type SpanSource = 'gateway' | 'otlp';

/** One span, as both apps produce it and the store keeps it. */
export interface SpanRecord {
  projectId: string;
  /** 32 lowercase hex characters, never all zeros. */
  traceId: string;
  /** 16 lowercase hex characters, never all zeros. */
  spanId: string;
  /** 16 lowercase hex characters, or null for a root span. */
  parentSpanId: string | null;
  traceState?: string;
  name: string;
  kind: SpanKind;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  status: SpanStatus;
  attributes: Attributes;
  resource: SpanResource;
  scope?: SpanScope;
  events: SpanEvent[];
  links: SpanLink[];
  /** W3C trace flags of the span (OTLP `Span.flags` low byte), when known. */
  flags?: number;
  droppedAttributesCount?: number;
  droppedEventsCount?: number;
  droppedLinksCount?: number;
  source: SpanSource;
}
