/**
 * Property tests of the collector's OTLP decode path (OTLP/JSON → protobuf bytes → span records,
 * and protobuf bytes → span records): hostile bodies give an `OtlpDecodeError` or a result,
 * never a throw; well-formed requests decode to the same spans whichever encoding carried them.
 */
import { fromJson, toBinary } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deeplyNestedOtlpText,
  hostileOtlpText,
  toProto3Ids,
  wellFormedOtlpRequest,
} from '../test/otlp-arbitraries.ts';
import { ExportTraceServiceRequestSchema } from './gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts';
import { decodeSpans } from './otlp/decode-spans.ts';
import { isOtlpDecodeError, otlpJsonToProtobuf, parseOtlpJsonRequest } from './otlp-json.ts';

const OPTIONS = { projectId: 'proj_fuzz' };

function decodeJson(text: string) {
  const bytes = otlpJsonToProtobuf(text);
  return isOtlpDecodeError(bytes) ? bytes : decodeSpans(bytes, OPTIONS);
}

// 1000 runs of hostile bodies take seconds on a loaded machine: more than vitest's default 5 s.
describe('OTLP/JSON decoding of hostile bodies', { timeout: 60_000 }, () => {
  it('gives a decode error or spans, never a throw', () => {
    fc.assert(
      fc.property(hostileOtlpText, (text) => {
        const result = decodeJson(text);
        if (isOtlpDecodeError(result)) expect(result.error).toMatch(/^invalid /);
        const message = parseOtlpJsonRequest(text);
        if (!isOtlpDecodeError(message)) {
          decodeSpans(toBinary(ExportTraceServiceRequestSchema, message), OPTIONS);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('answers an attribute nested far too deep with a decode error', () => {
    const body = deeplyNestedOtlpText(100_000);
    expect(isOtlpDecodeError(decodeJson(body))).toBe(true);
    expect(isOtlpDecodeError(parseOtlpJsonRequest(body))).toBe(true);
  });

  it('gives a decode error or spans for arbitrary mutations of protobuf bytes', () => {
    fc.assert(
      fc.property(wellFormedOtlpRequest, fc.nat(), fc.nat(255), (request, at, byte) => {
        const bytes = toBinary(
          ExportTraceServiceRequestSchema,
          fromJson(ExportTraceServiceRequestSchema, toProto3Ids(request)),
        );
        const mutated = bytes.slice();
        mutated[at % mutated.length] = byte;
        decodeSpans(mutated, OPTIONS);
        decodeSpans(mutated.subarray(0, at % mutated.length), OPTIONS);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('well-formed OTLP/JSON requests round-trip', () => {
  it('decode to the spans of the same request sent as protobuf', () => {
    fc.assert(
      fc.property(wellFormedOtlpRequest, (request) => {
        const viaJson = decodeJson(JSON.stringify(request));
        const proto = toBinary(
          ExportTraceServiceRequestSchema,
          fromJson(ExportTraceServiceRequestSchema, toProto3Ids(request)),
        );
        expect(viaJson).toEqual(decodeSpans(proto, OPTIONS));
        if (isOtlpDecodeError(viaJson)) throw new Error(viaJson.error);
        const spans = request.resourceSpans[0]?.scopeSpans[0]?.spans ?? [];
        expect(viaJson.rejected).toEqual([]);
        expect(viaJson.spans.map((s) => [s.traceId, s.spanId, s.name])).toEqual(
          spans.map((s) => [s.traceId, s.spanId, s.name]),
        );
      }),
      { numRuns: 300 },
    );
  });
});
