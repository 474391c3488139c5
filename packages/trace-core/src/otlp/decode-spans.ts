/**
 * OTLP `ExportTraceServiceRequest` → span records for the collector (SPEC §6), the one decoder
 * behind every encoding: protobuf bytes are read straight to span records (per-span rejections,
 * limits, project binding) in one pass, without building protobuf-es messages in between, which
 * were most of the collector's CPU and garbage per span (bench/README.md, "Collector"). Decoded
 * messages (OTLP/JSON, Connect JSON) are encoded to protobuf first and take the same path.
 *
 * Decoding follows protobuf-es `fromBinary`: unknown fields skipped, a singular message field
 * seen twice merged, strings checked as UTF-8, nesting limited to 100 messages.
 * `decode-spans.test.ts` checks the two agree on rich, cut and corrupted input.
 */
import { toBinary } from '@bufbuild/protobuf';
import {
  type ExportTraceServiceRequest,
  ExportTraceServiceRequestSchema,
} from '../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts';
import type { OtlpDecodeError } from '../otlp-json.ts';
import { bindResourceAttributes } from '../project-binding.ts';
import type { SpanRecord, SpanResource, SpanScope } from '../span-model.ts';
import {
  type AttributeSink,
  attributeInto,
  attributeSink,
  type DecodeLimits,
} from './decode-attributes.ts';
import { type DecodeState, span, withDroppedAttributes } from './decode-span.ts';
import { skip, sub, tag, WireReader } from './decode-wire.ts';
import type { SpanDecodeOptions, SpanDecodeResult } from './span-fields.ts';

/** An `InstrumentationScope` being read; the field may be sent twice (merged). */
interface ScopeParts {
  name: string;
  version: string;
  sink: AttributeSink;
}

function scope(r: WireReader, end: number, limits: DecodeLimits, parts: ScopeParts): void {
  while (r.pos < end) {
    const t = tag(r);
    switch (t >>> 3) {
      case 1:
        parts.name = r.string(true);
        break;
      case 2:
        parts.version = r.string(true);
        break;
      case 3:
        attributeInto(r, 5, limits, parts.sink);
        break;
      case 4:
        r.uint32();
        break;
      default:
        skip(r, t);
    }
  }
}

/**
 * Reads a `ResourceSpans` or a `ScopeSpans`, which share a layout: a header message in field 1
 * (merged when sent twice), repeated children in field 2, a schema URL in field 3 (checked as
 * UTF-8, not kept).
 */
function container(
  r: WireReader,
  end: number,
  header: (headerEnd: number) => void,
  child: (childEnd: number) => void,
): void {
  while (r.pos < end) {
    const t = tag(r);
    switch (t >>> 3) {
      case 1:
        header(sub(r));
        break;
      case 2:
        child(sub(r));
        break;
      case 3:
        r.string(true);
        break;
      default:
        skip(r, t);
    }
  }
}

function scopeSpans(r: WireReader, end: number, state: DecodeState): void {
  const first = state.result.spans.length;
  let parts: ScopeParts | undefined;
  container(
    r,
    end,
    (headerEnd) => {
      parts ??= { name: '', version: '', sink: attributeSink() };
      scope(r, headerEnd, state.limits, parts);
    },
    (childEnd) => span(r, childEnd, state),
  );
  if (!parts) return;
  const { name, version, sink } = parts;
  const spanScope: SpanScope = {
    name,
    ...(version ? { version } : {}),
    ...(sink.count > 0 ? { attributes: sink.attributes } : {}),
  };
  const { spans } = state.result;
  for (let i = first; i < spans.length; i++) (spans[i] as SpanRecord).scope = spanScope;
}

/** A `Resource` being read; the field may be sent twice (merged). */
interface ResourceParts {
  sink: AttributeSink;
  dropped: number;
}

function resource(r: WireReader, end: number, limits: DecodeLimits, parts: ResourceParts): void {
  while (r.pos < end) {
    const t = tag(r);
    switch (t >>> 3) {
      case 1:
        attributeInto(r, 4, limits, parts.sink);
        break;
      case 2:
        parts.dropped = r.uint32();
        break;
      default:
        skip(r, t);
    }
  }
}

function resourceSpans(r: WireReader, end: number, state: DecodeState): void {
  const first = state.result.spans.length;
  const parts: ResourceParts = { sink: attributeSink(), dropped: 0 };
  container(
    r,
    end,
    (headerEnd) => resource(r, headerEnd, state.limits, parts),
    (childEnd) => scopeSpans(r, childEnd, state),
  );
  const spanResource = withDroppedAttributes<SpanResource>(
    { attributes: bindResourceAttributes(parts.sink.attributes, state.projectId) },
    parts.dropped,
    parts.sink,
  );
  const { spans } = state.result;
  for (let i = first; i < spans.length; i++) (spans[i] as SpanRecord).resource = spanResource;
}

/** Decodes an OTLP protobuf `ExportTraceServiceRequest` body into span records. Never throws. */
export function decodeSpans(
  bytes: Uint8Array,
  options: SpanDecodeOptions,
): SpanDecodeResult | OtlpDecodeError {
  return decoding(options, (state) => {
    const r = new WireReader(plainView(bytes));
    while (r.pos < r.len) {
      const t = tag(r);
      if (t >>> 3 === 1) resourceSpans(r, sub(r), state);
      else skip(r, t);
    }
  });
}

/**
 * Converts an already decoded request (OTLP/JSON, Connect JSON) by encoding it and decoding the
 * bytes, so every encoding gets the same rules. Never throws.
 */
export function decodeRequestSpans(
  request: ExportTraceServiceRequest,
  options: SpanDecodeOptions,
): SpanDecodeResult | OtlpDecodeError {
  return decodeSpans(toBinary(ExportTraceServiceRequestSchema, request), options);
}

/**
 * Decodes a request whose `resource_spans` entries are still encoded (one `ResourceSpans` each,
 * as the gRPC handler receives them). Never throws.
 */
export function decodeResourceSpansParts(
  parts: Uint8Array[],
  options: SpanDecodeOptions,
): SpanDecodeResult | OtlpDecodeError {
  return decoding(options, (state) => {
    for (const part of parts) {
      resourceSpans(new WireReader(plainView(part)), part.length, state);
    }
  });
}

/**
 * A plain Uint8Array over the same memory: `subarray` of a Node Buffer builds a Buffer, several
 * times slower than the typed array's, and the reader takes one per string and id.
 */
function plainView(bytes: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(bytes) === Uint8Array.prototype
    ? bytes
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function decoding(
  options: SpanDecodeOptions,
  fill: (state: DecodeState) => void,
): SpanDecodeResult | OtlpDecodeError {
  const { limits = {} } = options;
  const state: DecodeState = {
    projectId: options.projectId,
    limits: {
      maxAttributes: limits.maxAttributesPerSpan ?? Number.POSITIVE_INFINITY,
      maxValueLength: limits.maxAttributeValueLength,
    },
    result: { spans: [], rejected: [] },
    index: 0,
  };
  try {
    fill(state);
    return state.result;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { error: `invalid OTLP protobuf: ${detail}`.slice(0, 300) };
  }
}
