/**
 * A stored {@link SpanRecord} in the shape the official OTLP exporters take (`ReadableSpan`), so
 * forwarding re-encodes with the exporters' own transformer. Ids, times (nanosecond precision),
 * status, events, links, resource and scope go over unchanged; attribute values too (kvlists as
 * objects, int64 beyond 2^53 as the decimal strings the store keeps, null values left out).
 */
import { type Attributes, type Link, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import type { SpanRecord, Attributes as StoredAttributes } from '@to11/trace-core';

const KINDS = {
  INTERNAL: SpanKind.INTERNAL,
  SERVER: SpanKind.SERVER,
  CLIENT: SpanKind.CLIENT,
  PRODUCER: SpanKind.PRODUCER,
  CONSUMER: SpanKind.CONSUMER,
} as const;

const STATUS_CODES = {
  UNSET: SpanStatusCode.UNSET,
  OK: SpanStatusCode.OK,
  ERROR: SpanStatusCode.ERROR,
} as const;

const NANOS_PER_SECOND = 1_000_000_000n;
const SAMPLED = 1;

/** `[seconds, nanoseconds]` of a Unix time in nanoseconds. */
function hrTime(unixNano: bigint): [number, number] {
  return [Number(unixNano / NANOS_PER_SECOND), Number(unixNano % NANOS_PER_SECOND)];
}

/** Attributes as the exporters take them; null values (no OTLP AnyValue) are left out. */
function otelAttributes(attributes: StoredAttributes): Attributes {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== null) out[key] = value;
  }
  // Objects (OTLP kvlists) are encoded by the exporters' transformer as kvlistValue.
  return out as Attributes;
}

/** Resources are shared by the spans of one batch that carry equal attributes. */
export class ResourceCache {
  readonly #byJson = new Map<string, Resource>();

  /** The exporter resource of `record`. */
  of(record: SpanRecord): Resource {
    const json = JSON.stringify(record.resource.attributes);
    let resource = this.#byJson.get(json);
    if (resource === undefined) {
      resource = resourceFromAttributes(otelAttributes(record.resource.attributes));
      this.#byJson.set(json, resource);
    }
    return resource;
  }
}

/** `record` as an exporter span; `resources` shares resources across a batch. */
export function toReadableSpan(record: SpanRecord, resources: ResourceCache): ReadableSpan {
  const traceFlags = (record.flags ?? SAMPLED) & 0xff;
  const context = {
    traceId: record.traceId,
    spanId: record.spanId,
    traceFlags,
    ...(record.traceState === undefined ? {} : { traceState: new TraceState(record.traceState) }),
  };
  const start = hrTime(record.startTimeUnixNano);
  const end = hrTime(record.endTimeUnixNano);
  const events: TimedEvent[] = record.events.map((event) => ({
    name: event.name,
    time: hrTime(event.timeUnixNano),
    attributes: otelAttributes(event.attributes),
    droppedAttributesCount: event.droppedAttributesCount ?? 0,
  }));
  const links: Link[] = record.links.map((link) => ({
    context: {
      traceId: link.traceId,
      spanId: link.spanId,
      traceFlags: SAMPLED,
      ...(link.traceState === undefined ? {} : { traceState: new TraceState(link.traceState) }),
    },
    attributes: otelAttributes(link.attributes),
    droppedAttributesCount: link.droppedAttributesCount ?? 0,
  }));
  return {
    name: record.name,
    kind: KINDS[record.kind],
    spanContext: () => context,
    ...(record.parentSpanId === null
      ? {}
      : {
          parentSpanContext: { traceId: record.traceId, spanId: record.parentSpanId, traceFlags },
        }),
    startTime: start,
    endTime: end,
    duration: hrTime(record.endTimeUnixNano - record.startTimeUnixNano),
    status: {
      code: STATUS_CODES[record.status.code],
      ...(record.status.message === undefined ? {} : { message: record.status.message }),
    },
    attributes: otelAttributes(record.attributes),
    links,
    events,
    ended: true,
    resource: resources.of(record),
    instrumentationScope: {
      name: record.scope?.name ?? '',
      ...(record.scope?.version === undefined ? {} : { version: record.scope.version }),
    },
    droppedAttributesCount: record.droppedAttributesCount ?? 0,
    droppedEventsCount: record.droppedEventsCount ?? 0,
    droppedLinksCount: record.droppedLinksCount ?? 0,
  };
}
