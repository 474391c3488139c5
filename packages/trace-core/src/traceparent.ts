/**
 * W3C Trace Context Level 1 `traceparent` header: parse and format.
 *
 * https://www.w3.org/TR/trace-context-1/#traceparent-header
 * `version "-" trace-id "-" parent-id "-" trace-flags`, all lowercase hex.
 */
import { isValidSpanId, isValidTraceId } from './ids.ts';

/** A parsed `traceparent`: the remote parent of the span that receives it. */
export interface TraceContext {
  /** Two lowercase hex characters; `00` for the current version. */
  version: string;
  /** 32 lowercase hex characters, never all zeros. */
  traceId: string;
  /** The caller's span id (the spec's `parent-id`): 16 lowercase hex characters, not all zeros. */
  spanId: string;
  /** The trace-flags byte (0–255); bit 0 is `sampled`. */
  traceFlags: number;
  /** `traceFlags & 0x01`. */
  sampled: boolean;
}

/** What {@link formatTraceparent} needs: ids and flags (the version written is always `00`). */
export type TraceparentFields = Pick<TraceContext, 'traceId' | 'spanId' | 'traceFlags'>;

/** Bit 0 of trace-flags (W3C Trace Context §3.2.2.5.1). */
export const TRACE_FLAG_SAMPLED = 0x01;

const VERSION_00_LENGTH = 55;
const HEAD_PATTERN = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})/;
/** HTTP optional whitespace (RFC 9110 §5.6.3): spaces and horizontal tabs only. */
const OWS_EDGES = /^[ \t]+|[ \t]+$/g;

/**
 * Parses a `traceparent` header value. Returns `null` for anything the spec says to ignore
 * (the caller then starts a new trace); never throws.
 *
 * - Surrounding OWS is ignored; hex must be lowercase; field lengths are exact.
 * - Version `ff` is invalid. Version `00` must be exactly 55 characters, nothing after the flags.
 * - A higher version is parsed per the forward-compatibility rule (§3.2.4): the first four
 *   fields as for `00`, then either the end of the value or `-` followed by anything.
 * - An all-zero trace id or parent id is invalid.
 */
export function parseTraceparent(value: string | null | undefined): TraceContext | null {
  if (typeof value !== 'string') return null;
  const header = value.replace(OWS_EDGES, '');
  const match = HEAD_PATTERN.exec(header);
  if (!match) return null;
  const [head, version, traceId, spanId, flags] = match;
  if (version === undefined || traceId === undefined || spanId === undefined) return null;
  if (flags === undefined || version === 'ff') return null;
  if (version === '00') {
    if (header.length !== VERSION_00_LENGTH) return null;
  } else if (header.length > head.length && header.charAt(head.length) !== '-') {
    return null;
  }
  if (!isValidTraceId(traceId) || !isValidSpanId(spanId)) return null;
  const traceFlags = Number.parseInt(flags, 16);
  return {
    version,
    traceId,
    spanId,
    traceFlags,
    sampled: (traceFlags & TRACE_FLAG_SAMPLED) === TRACE_FLAG_SAMPLED,
  };
}

/**
 * Formats a version-`00` `traceparent` value (`00-<trace-id>-<span-id>-<flags>`). The ids are
 * written as given (callers pass valid lowercase ids); flags are the low byte of `traceFlags`.
 */
export function formatTraceparent(ctx: TraceparentFields): string {
  const flags = (ctx.traceFlags & 0xff).toString(16).padStart(2, '0');
  return `00-${ctx.traceId}-${ctx.spanId}-${flags}`;
}
