import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { RICH_REQUEST_SPANS } from '../../test/fixtures/decode-test-expected.ts';
import {
  type AnyValueInit,
  mergedFieldsRequest,
  richRequest,
} from '../../test/fixtures/decode-test-requests.ts';
import { ExportTraceServiceRequestSchema } from '../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts';
import { ResourceSpansSchema } from '../gen/opentelemetry/proto/trace/v1/trace_pb.ts';
import { isOtlpDecodeError } from '../otlp-json.ts';
import { decodeRequestSpans, decodeResourceSpansParts, decodeSpans } from './decode-spans.ts';

import type { SpanDecodeOptions } from './span-fields.ts';

const UNLIMITED: SpanDecodeOptions = { projectId: 'proj_a' };
const LIMITED: SpanDecodeOptions = {
  projectId: 'proj_b',
  limits: { maxAttributesPerSpan: 4, maxAttributeValueLength: 3 },
};

/**
 * protobuf-es's reading of the bytes: `fromBinary` (fields merged, unknown fields skipped, UTF-8
 * and nesting checked), then the message as the JSON paths hand it over. Decoding the raw bytes
 * must give the same as decoding what protobuf-es made of them.
 */
function reference(bytes: Uint8Array, options = UNLIMITED) {
  let request: ReturnType<typeof fromBinary<typeof ExportTraceServiceRequestSchema>>;
  try {
    request = fromBinary(ExportTraceServiceRequestSchema, bytes, { readUnknownFields: false });
  } catch {
    return 'error';
  }
  const decoded = decodeRequestSpans(request, options);
  return isOtlpDecodeError(decoded) ? 'error' : decoded;
}

function mine(bytes: Uint8Array, options = UNLIMITED) {
  const decoded = decodeSpans(bytes, options);
  return isOtlpDecodeError(decoded) ? 'error' : decoded;
}

/** The same request as the gRPC handler receives it: each `ResourceSpans` still encoded. */
function mineFromParts(bytes: Uint8Array, options = UNLIMITED) {
  const request = fromBinary(ExportTraceServiceRequestSchema, bytes);
  const parts = request.resourceSpans.map((part) => toBinary(ResourceSpansSchema, part));
  const decoded = decodeResourceSpansParts(parts, options);
  return isOtlpDecodeError(decoded) ? 'error' : decoded;
}

describe('decodeSpans', () => {
  it('decodes every field exactly like protobuf-es fromBinary', () => {
    const bytes = richRequest();
    expect(mine(bytes)).toEqual(reference(bytes));
    expect(mine(bytes)).toEqual(RICH_REQUEST_SPANS);
    expect(mine(new Uint8Array())).toEqual(reference(new Uint8Array()));
  });

  it('applies limits and project binding, and reads gRPC parts the same', () => {
    const bytes = richRequest();
    const limited = mine(bytes, LIMITED);
    expect(limited).toEqual(reference(bytes, LIMITED));
    expect(limited).not.toEqual(reference(bytes, { ...LIMITED, limits: {} }));
    expect(mineFromParts(bytes)).toEqual(reference(bytes));
    expect(mineFromParts(bytes, LIMITED)).toEqual(reference(bytes, LIMITED));
    const result = mine(bytes);
    if (result === 'error') throw new Error('rich request did not decode');
    expect(result.spans).toHaveLength(2);
    expect(result.rejected.map((r) => r.index)).toEqual([1, 3, 4]);
    expect(result.spans[0]?.resource.attributes['project.id']).toBe('proj_a');
    expect(result.spans[0]?.attributes).not.toHaveProperty('project.id');
  });

  it('merges a singular field sent twice and reads a resource or scope sent after its spans', () => {
    const bytes = mergedFieldsRequest();
    const result = mine(bytes);
    expect(result).toEqual(reference(bytes));
    if (result === 'error') throw new Error('merged request did not decode');
    const [span] = result.spans;
    expect(span?.name).toBe('second name');
    expect(span?.status).toEqual({ code: 'ERROR', message: 'why' });
    expect(span?.attributes).toEqual({
      arr: [1, 2],
      map: { x: true, y: true },
      replaced: false,
      second: 'v',
    });
    expect(span?.scope).toEqual({ name: 'scope', version: '2.0', attributes: { a: true } });
    expect(span?.resource).toEqual({
      attributes: { 'service.name': 'svc', 'host.name': 'h', 'project.id': 'proj_a' },
      droppedAttributesCount: 3,
    });
  });

  it('agrees with fromBinary on every truncation and on corrupted bytes', () => {
    const bytes = richRequest();
    for (let end = 0; end < bytes.length; end++) {
      const cut = bytes.subarray(0, end);
      expect(mine(cut, LIMITED), `cut at ${end}`).toEqual(reference(cut, LIMITED));
    }
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed;
    };
    const merged = mergedFieldsRequest();
    for (let i = 0; i < 3000; i++) {
      const corrupted = Uint8Array.from(i % 3 === 2 ? merged : bytes);
      corrupted[random() % corrupted.length] = random() % 256;
      const options = i % 2 === 0 ? UNLIMITED : LIMITED;
      expect(mine(corrupted, options), `mutation ${i}`).toEqual(reference(corrupted, options));
    }
  }, 30_000);

  it('refuses nesting deeper than protobuf-es does, and invalid UTF-8', () => {
    const nested = (levels: number) => {
      let value: AnyValueInit = { value: { case: 'stringValue', value: 'leaf' } };
      for (let i = 0; i < levels; i++) {
        value = { value: { case: 'arrayValue', value: { values: [value] } } };
      }
      return toBinary(
        ExportTraceServiceRequestSchema,
        create(ExportTraceServiceRequestSchema, {
          resourceSpans: [
            {
              resource: { attributes: [{ key: 'deep', value }] },
              scopeSpans: [
                {
                  spans: [
                    {
                      traceId: new Uint8Array(16).fill(1),
                      spanId: new Uint8Array(8).fill(1),
                      startTimeUnixNano: 1n,
                      endTimeUnixNano: 1n,
                    },
                  ],
                },
              ],
            },
          ],
        }),
      );
    };
    expect(mine(nested(45))).toEqual(reference(nested(45)));
    const deep = mine(nested(45));
    expect(JSON.stringify(deep === 'error' ? deep : deep.spans[0]?.resource)).toContain('leaf');
    expect(reference(nested(45))).not.toBe('error');
    expect(reference(nested(60))).toBe('error');
    expect(mine(nested(60))).toBe('error');
    // resource_spans { schema_url: 0xc3 0x28 } (a cut two-byte sequence)
    const badUtf8 = Uint8Array.of(0x0a, 0x04, 0x1a, 0x02, 0xc3, 0x28);
    expect(reference(badUtf8)).toBe('error');
    expect(mine(badUtf8)).toBe('error');
  });
});
