/**
 * Builders for OTLP export requests used by the trace-core tests.
 */
import { create } from '@bufbuild/protobuf';
import {
  type ExportTraceServiceRequest,
  ExportTraceServiceRequestSchema,
} from '../src/gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts';
import {
  type AnyValue,
  AnyValueSchema,
  type KeyValue,
  KeyValueSchema,
} from '../src/gen/opentelemetry/proto/common/v1/common_pb.ts';
import { type Span, SpanSchema } from '../src/gen/opentelemetry/proto/trace/v1/trace_pb.ts';
import { hexToBytes } from '../src/hex.ts';
import { decodeRequestSpans } from '../src/otlp/decode-spans.ts';
import type { SpanDecodeOptions, SpanDecodeResult } from '../src/otlp/span-fields.ts';
import { isOtlpDecodeError } from '../src/otlp-json.ts';

/** The span decoder over a decoded request, as the JSON paths call it; throws on a decode error. */
export function decodeRequest(
  req: ExportTraceServiceRequest,
  options: SpanDecodeOptions,
): SpanDecodeResult {
  const result = decodeRequestSpans(req, options);
  if (isOtlpDecodeError(result)) throw new Error(result.error);
  return result;
}

/** Hex → bytes for test ids (throws on bad hex: a test bug). */
export function bytes(hex: string): Uint8Array {
  const out = hexToBytes(hex);
  if (!out) throw new Error(`bad hex in test: ${hex}`);
  return out;
}

/** A string-valued attribute. */
export function strAttr(key: string, value: string): KeyValue {
  return create(KeyValueSchema, {
    key,
    value: create(AnyValueSchema, { value: { case: 'stringValue', value } }),
  });
}

/** An attribute with any value. */
export function attr(key: string, value: AnyValue): KeyValue {
  return create(KeyValueSchema, { key, value });
}

export const TRACE_ID = '5b8efff798038103d269b633813fc60c';
export const SPAN_ID = 'eee19b7ec3c1b174';
export const PARENT_ID = 'eee19b7ec3c1b173';

/** A valid span; `init` overrides fields. */
export function span(init: Parameters<typeof create<typeof SpanSchema>>[1] = {}): Span {
  return create(SpanSchema, {
    traceId: bytes(TRACE_ID),
    spanId: bytes(SPAN_ID),
    parentSpanId: bytes(PARENT_ID),
    name: 'work',
    kind: 1,
    startTimeUnixNano: 1_700_000_000_000_000_000n,
    endTimeUnixNano: 1_700_000_000_500_000_000n,
    ...init,
  });
}

/** A request with one resource and one scope holding `spans`. */
export function request(
  spans: Span[],
  resourceAttributes: KeyValue[] = [strAttr('service.name', 'app')],
  scopeAttributes: KeyValue[] = [],
): ExportTraceServiceRequest {
  return create(ExportTraceServiceRequestSchema, {
    resourceSpans: [
      {
        resource: { attributes: resourceAttributes },
        scopeSpans: [
          { scope: { name: 'lib', version: '1.2.3', attributes: scopeAttributes }, spans },
        ],
      },
    ],
  });
}
