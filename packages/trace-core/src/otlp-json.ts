/**
 * Decoding OTLP/HTTP request bodies into protobuf-es messages, without throwing.
 *
 * OTLP/JSON (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding) differs from the
 * proto3 JSON mapping protobuf-es reads: trace and span ids are hex, not base64. Enums may be
 * names or integers, int64/fixed64 may be strings or numbers, and unknown fields are ignored;
 * protobuf-es handles those with `ignoreUnknownFields: true`.
 */
import { fromBinary, fromJson, type JsonValue } from '@bufbuild/protobuf';
import { base64Encode } from '@bufbuild/protobuf/wire';
import {
  type ExportTraceServiceRequest,
  ExportTraceServiceRequestSchema,
} from './gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts';
import { hexToBytes } from './hex.ts';
import { otlpJsonToWire } from './otlp/json-to-wire.ts';

/** A body that could not be decoded; `error` is safe to return to the client. */
export interface OtlpDecodeError {
  error: string;
}

const MAX_ERROR_LENGTH = 300;
/** Stands in for a non-hex id: one byte, so the span is rejected for its id, not the request. */
const INVALID_ID_BASE64 = 'AA==';

/** Parses an OTLP/JSON `ExportTraceServiceRequest` body. Never throws. */
export function parseOtlpJsonRequest(text: string): ExportTraceServiceRequest | OtlpDecodeError {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return decodeError('invalid JSON', err);
  }
  if (!isObject(json)) return { error: 'invalid OTLP/JSON: the body must be a JSON object' };
  try {
    convertIds(json);
    return fromJson(ExportTraceServiceRequestSchema, json as JsonValue, {
      ignoreUnknownFields: true,
    });
  } catch (err) {
    return decodeError('invalid OTLP/JSON', err);
  }
}

/**
 * Transcodes an OTLP/JSON body into OTLP protobuf bytes for the span decoder (`decodeSpans`),
 * the path the collector takes: same rules as {@link parseOtlpJsonRequest}, without building
 * messages. Never throws.
 */
export function otlpJsonToProtobuf(text: string): Uint8Array | OtlpDecodeError {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return decodeError('invalid JSON', err);
  }
  if (!isObject(json)) return { error: 'invalid OTLP/JSON: the body must be a JSON object' };
  try {
    return otlpJsonToWire(json);
  } catch (err) {
    return decodeError('invalid OTLP/JSON', err);
  }
}

/** Parses an OTLP protobuf `ExportTraceServiceRequest` body. Never throws. */
export function parseOtlpProtobufRequest(
  bytes: Uint8Array,
): ExportTraceServiceRequest | OtlpDecodeError {
  try {
    return fromBinary(ExportTraceServiceRequestSchema, bytes, { readUnknownFields: false });
  } catch (err) {
    return decodeError('invalid OTLP protobuf', err);
  }
}

/** True when a decode result is an error (for narrowing). */
export function isOtlpDecodeError<T extends object>(
  result: T | OtlpDecodeError,
): result is OtlpDecodeError {
  return 'error' in result && typeof result.error === 'string';
}

/** Rewrites span and link ids from hex to base64 in place, accepting camelCase and snake_case. */
function convertIds(request: Record<string, unknown>): void {
  for (const resourceSpans of listOf(request, 'resourceSpans', 'resource_spans')) {
    for (const scopeSpans of listOf(resourceSpans, 'scopeSpans', 'scope_spans')) {
      for (const span of listOf(scopeSpans, 'spans', 'spans')) {
        rewriteId(span, 'traceId', 'trace_id');
        rewriteId(span, 'spanId', 'span_id');
        rewriteId(span, 'parentSpanId', 'parent_span_id');
        for (const link of listOf(span, 'links', 'links')) {
          rewriteId(link, 'traceId', 'trace_id');
          rewriteId(link, 'spanId', 'span_id');
        }
      }
    }
  }
}

function listOf(
  parent: Record<string, unknown>,
  camel: string,
  snake: string,
): Record<string, unknown>[] {
  const value = parent[camel] ?? parent[snake];
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function rewriteId(target: Record<string, unknown>, camel: string, snake: string): void {
  for (const key of [camel, snake]) {
    const value = target[key];
    if (typeof value !== 'string') continue;
    const bytes = hexToBytes(value);
    target[key] = bytes ? base64Encode(bytes) : INVALID_ID_BASE64;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function decodeError(prefix: string, err: unknown): OtlpDecodeError {
  const detail = err instanceof Error ? err.message : String(err);
  return { error: `${prefix}: ${detail}`.slice(0, MAX_ERROR_LENGTH) };
}
