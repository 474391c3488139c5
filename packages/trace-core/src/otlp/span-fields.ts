/**
 * What the OTLP span decoder checks and maps field by field: the options and result of a decode,
 * per-span rejections for `partial_success` (SPEC §6), span kinds and statuses.
 */
import { isAllZeroBytes } from '../hex.ts';
import type { AttributeLimits } from '../otlp-attributes.ts';
import type { SpanKind, SpanRecord, SpanStatus } from '../span-model.ts';

/** Options of a span decode. */
export interface SpanDecodeOptions {
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

/** The spans of a decoded request, and the ones rejected. */
export interface SpanDecodeResult {
  spans: SpanRecord[];
  rejected: SpanRejection[];
}

/** The span fields {@link spanRejectionReason} checks. */
export interface SpanIdentity {
  traceId: Uint8Array;
  spanId: Uint8Array;
  parentSpanId: Uint8Array;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
}

const KIND_NAMES: Record<number, SpanKind> = {
  1: 'INTERNAL',
  2: 'SERVER',
  3: 'CLIENT',
  4: 'PRODUCER',
  5: 'CONSUMER',
};

/** OTLP span kind → span-model name; UNSPECIFIED and unknown values map to INTERNAL. */
export function spanKindFromOtlp(kind: number): SpanKind {
  return KIND_NAMES[kind] ?? 'INTERNAL';
}

/** OTLP status → span-model status; `message` only when non-empty, unknown codes → UNSET. */
export function spanStatusFromOtlp(
  status: { code: number; message: string } | undefined,
): SpanStatus {
  const code = status?.code === 1 ? 'OK' : status?.code === 2 ? 'ERROR' : 'UNSET';
  return status?.message ? { code, message: status.message } : { code };
}

/**
 * Why a span with these ids and times is rejected; null when it is valid. A trace id must be 16
 * bytes and not all zeros, a span id 8 bytes and not all zeros, a parent span id empty or 8 bytes
 * (all zeros means root), the start time set, and the end not before the start.
 */
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
