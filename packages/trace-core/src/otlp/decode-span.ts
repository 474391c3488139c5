/**
 * One OTLP `Span` (with its events, links and status) decoded straight to a span record, for
 * `decode-spans.ts`: rejections, limits and dropped counts applied as the fields are read. Fields may come in any order and a status twice.
 */
import { bytesToHex, isAllZeroBytes } from '../hex.ts';
import type { SpanEvent, SpanLink, SpanRecord, SpanResource } from '../span-model.ts';
import {
  type AttributeSink,
  attributeInto,
  attributeSink,
  type DecodeLimits,
} from './decode-attributes.ts';
import { skip, sub, tag, type WireReader } from './decode-wire.ts';
import {
  type SpanDecodeResult,
  spanKindFromOtlp,
  spanRejectionReason,
  spanStatusFromOtlp,
} from './span-fields.ts';

const EMPTY: Uint8Array = new Uint8Array(0);

/** Placeholder resource of a span until its `ResourceSpans` has been read to the end. */
export const PENDING_RESOURCE: SpanResource = { attributes: {} };

/** What one request decodes into, and what every message decoder needs. */
export interface DecodeState {
  projectId: string;
  limits: DecodeLimits;
  result: SpanDecodeResult;
  /** Spans seen so far across the request, rejected ones included. */
  index: number;
}

/** Adds the limit-dropped count to a sent `dropped_*_count`; undefined when zero. */
function droppedTotal(sent: number, limited: number): number | undefined {
  return sent + limited > 0 ? sent + limited : undefined;
}

/** Sets `droppedAttributesCount` (sent plus dropped by the limits) when it is not zero. */
export function withDroppedAttributes<T extends { droppedAttributesCount?: number }>(
  out: T,
  sent: number,
  sink: AttributeSink,
): T {
  const dropped = droppedTotal(sent, sink.dropped);
  if (dropped !== undefined) out.droppedAttributesCount = dropped;
  return out;
}

function event(r: WireReader, end: number, limits: DecodeLimits): SpanEvent {
  let timeUnixNano = 0n;
  let name = '';
  let dropped = 0;
  const sink = attributeSink();
  while (r.pos < end) {
    const t = tag(r);
    switch (t >>> 3) {
      case 1:
        timeUnixNano = BigInt(r.fixed64());
        break;
      case 2:
        name = r.string(true);
        break;
      case 3:
        attributeInto(r, 6, limits, sink);
        break;
      case 4:
        dropped = r.uint32();
        break;
      default:
        skip(r, t);
    }
  }
  return withDroppedAttributes<SpanEvent>(
    { name, timeUnixNano, attributes: sink.attributes },
    dropped,
    sink,
  );
}

/** A link, or null when its trace or span id is invalid (dropped and counted by the span). */
function link(r: WireReader, end: number, limits: DecodeLimits): SpanLink | null {
  let traceId = EMPTY;
  let spanId = EMPTY;
  let traceState = '';
  let dropped = 0;
  const sink = attributeSink();
  while (r.pos < end) {
    const t = tag(r);
    switch (t >>> 3) {
      case 1:
        traceId = r.bytes();
        break;
      case 2:
        spanId = r.bytes();
        break;
      case 3:
        traceState = r.string(true);
        break;
      case 4:
        attributeInto(r, 6, limits, sink);
        break;
      case 5:
        dropped = r.uint32();
        break;
      case 6:
        r.fixed32();
        break;
      default:
        skip(r, t);
    }
  }
  if (!isValidId(traceId, 16) || !isValidId(spanId, 8)) return null;
  const out: SpanLink = {
    traceId: bytesToHex(traceId),
    spanId: bytesToHex(spanId),
    attributes: sink.attributes,
  };
  if (traceState) out.traceState = traceState;
  return withDroppedAttributes(out, dropped, sink);
}

/** A status, merged into `prior` when the field is sent twice. */
function status(
  r: WireReader,
  end: number,
  prior: { code: number; message: string } | undefined,
): { code: number; message: string } {
  const out = prior ?? { code: 0, message: '' };
  while (r.pos < end) {
    const t = tag(r);
    switch (t >>> 3) {
      case 2:
        out.message = r.string(true);
        break;
      case 3:
        out.code = r.int32();
        break;
      default:
        skip(r, t);
    }
  }
  return out;
}

/** Decodes one span; valid spans are appended to the result, invalid ones listed as rejected. */
export function span(r: WireReader, end: number, state: DecodeState): void {
  const { limits } = state;
  const fields = {
    traceId: EMPTY,
    spanId: EMPTY,
    parentSpanId: EMPTY,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
  };
  let traceState = '';
  let name = '';
  let kind = 0;
  let flags = 0;
  let droppedAttributes = 0;
  let droppedEvents = 0;
  let droppedLinks = 0;
  let invalidLinks = 0;
  let spanStatus: { code: number; message: string } | undefined;
  const sink = attributeSink();
  const events: SpanEvent[] = [];
  const links: SpanLink[] = [];
  while (r.pos < end) {
    const t = tag(r);
    switch (t >>> 3) {
      case 1:
        fields.traceId = r.bytes();
        break;
      case 2:
        fields.spanId = r.bytes();
        break;
      case 3:
        traceState = r.string(true);
        break;
      case 4:
        fields.parentSpanId = r.bytes();
        break;
      case 5:
        name = r.string(true);
        break;
      case 6:
        kind = r.int32();
        break;
      case 7:
        fields.startTimeUnixNano = BigInt(r.fixed64());
        break;
      case 8:
        fields.endTimeUnixNano = BigInt(r.fixed64());
        break;
      case 9:
        attributeInto(r, 5, limits, sink);
        break;
      case 10:
        droppedAttributes = r.uint32();
        break;
      case 11:
        events.push(event(r, sub(r), limits));
        break;
      case 12:
        droppedEvents = r.uint32();
        break;
      case 13: {
        const decoded = link(r, sub(r), limits);
        if (decoded) links.push(decoded);
        else invalidLinks++;
        break;
      }
      case 14:
        droppedLinks = r.uint32();
        break;
      case 15:
        spanStatus = status(r, sub(r), spanStatus);
        break;
      case 16:
        flags = r.fixed32();
        break;
      default:
        skip(r, t);
    }
  }
  const index = state.index++;
  const reason = spanRejectionReason(fields);
  if (reason) {
    state.result.rejected.push({ index, reason });
    return;
  }
  const parent = fields.parentSpanId;
  const record: SpanRecord = {
    projectId: state.projectId,
    traceId: bytesToHex(fields.traceId),
    spanId: bytesToHex(fields.spanId),
    parentSpanId: parent.length === 8 && !isAllZeroBytes(parent) ? bytesToHex(parent) : null,
    name,
    kind: spanKindFromOtlp(kind),
    startTimeUnixNano: fields.startTimeUnixNano,
    endTimeUnixNano: fields.endTimeUnixNano,
    status: spanStatusFromOtlp(spanStatus),
    attributes: sink.attributes,
    resource: PENDING_RESOURCE,
    events,
    links,
    source: 'otlp',
  };
  if (traceState) record.traceState = traceState;
  // Span.flags 0 means "not set" (older exporters); any set bit makes the low byte meaningful.
  if (flags !== 0) record.flags = flags & 0xff;
  withDroppedAttributes(record, droppedAttributes, sink);
  if (droppedEvents > 0) record.droppedEventsCount = droppedEvents;
  const linksDropped = droppedTotal(droppedLinks, invalidLinks);
  if (linksDropped !== undefined) record.droppedLinksCount = linksDropped;
  state.result.spans.push(record);
}

function isValidId(bytes: Uint8Array, length: number): boolean {
  return bytes.length === length && !isAllZeroBytes(bytes);
}
