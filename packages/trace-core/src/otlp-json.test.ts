import { toBinary } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRequest, request, span, strAttr } from '../test/otlp-fixtures.ts';
import {
  type ExportTraceServiceRequest,
  ExportTraceServiceRequestSchema,
} from './gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts';
import { decodeSpans } from './otlp/decode-spans.ts';
import type { SpanDecodeResult } from './otlp/span-fields.ts';
import {
  isOtlpDecodeError,
  type OtlpDecodeError,
  otlpJsonToProtobuf,
  parseOtlpJsonRequest,
  parseOtlpProtobufRequest,
} from './otlp-json.ts';

/** Shaped like the OTLP specification's examples/trace.json (uppercase hex ids included). */
const SPEC_STYLE_DOCUMENT = `{
  "resourceSpans": [{
    "resource": { "attributes": [{ "key": "service.name", "value": { "stringValue": "checkout" } }] },
    "scopeSpans": [{
      "scope": {
        "name": "checkout.lib", "version": "2.0.0",
        "attributes": [{ "key": "scope.attr", "value": { "stringValue": "s" } }]
      },
      "spans": [{
        "traceId": "5B8EFFF798038103D269B633813FC60C",
        "spanId": "EEE19B7EC3C1B174",
        "parentSpanId": "EEE19B7EC3C1B173",
        "name": "retrieve documents",
        "startTimeUnixNano": "1544712660000000000",
        "endTimeUnixNano": "1544712661000000000",
        "kind": 2,
        "attributes": [{ "key": "my.span.attr", "value": { "stringValue": "some value" } }]
      }]
    }]
  }]
}`;

function parsed(text: string): ExportTraceServiceRequest {
  const result = parseOtlpJsonRequest(text);
  if (isOtlpDecodeError(result)) throw new Error(result.error);
  return result;
}

const spansOf = decodeRequest;

/**
 * The spans of an OTLP/JSON body by the collector's path (transcoded to protobuf, then the span
 * decoder), checked equal to the spans of the protobuf-es messages of the same body.
 */
function convert(text: string) {
  const protobuf = otlpJsonToProtobuf(text);
  if (isOtlpDecodeError(protobuf)) throw new Error(protobuf.error);
  const viaWire = decodeSpans(protobuf, { projectId: 'proj_j' });
  expect(viaWire).toEqual(spansOf(parsed(text), { projectId: 'proj_j' }));
  return viaWire as SpanDecodeResult;
}

function oneSpanDocument(spanJson: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              {
                traceId: '5b8efff798038103d269b633813fc60c',
                spanId: 'eee19b7ec3c1b174',
                name: 'n',
                startTimeUnixNano: '1',
                endTimeUnixNano: '2',
                ...spanJson,
              },
            ],
          },
        ],
        ...extra,
      },
    ],
  });
}

describe('parseOtlpJsonRequest', () => {
  it('reads a document shaped like the OTLP spec example, with hex ids and an integer kind', () => {
    const { spans, rejected } = convert(SPEC_STYLE_DOCUMENT);
    expect(rejected).toEqual([]);
    expect(spans).toEqual([
      {
        projectId: 'proj_j',
        traceId: '5b8efff798038103d269b633813fc60c',
        spanId: 'eee19b7ec3c1b174',
        parentSpanId: 'eee19b7ec3c1b173',
        name: 'retrieve documents',
        kind: 'SERVER',
        startTimeUnixNano: 1544712660000000000n,
        endTimeUnixNano: 1544712661000000000n,
        status: { code: 'UNSET' },
        attributes: { 'my.span.attr': 'some value' },
        resource: { attributes: { 'service.name': 'checkout', 'project.id': 'proj_j' } },
        scope: { name: 'checkout.lib', version: '2.0.0', attributes: { 'scope.attr': 's' } },
        events: [],
        links: [],
        source: 'otlp',
      },
    ]);
  });

  it('accepts enum names, int64 as numbers and strings, and every AnyValue type', () => {
    const text = oneSpanDocument({
      kind: 'SPAN_KIND_CLIENT',
      startTimeUnixNano: 1000,
      endTimeUnixNano: '2000',
      flags: 1,
      status: { code: 'STATUS_CODE_ERROR', message: 'upstream failed' },
      attributes: [
        { key: 'i', value: { intValue: '9007199254740993' } },
        { key: 'n', value: { intValue: 12 } },
        { key: 'd', value: { doubleValue: 0.5 } },
        { key: 'inf', value: { doubleValue: 'Infinity' } },
        { key: 'b', value: { boolValue: true } },
        { key: 'bytes', value: { bytesValue: 'AQID' } },
        {
          key: 'arr',
          value: { arrayValue: { values: [{ stringValue: 'x' }, { intValue: '1' }] } },
        },
        {
          key: 'kv',
          value: { kvlistValue: { values: [{ key: 'k', value: { boolValue: false } }] } },
        },
      ],
      events: [{ timeUnixNano: '1500', name: 'ev', attributes: [] }],
      links: [
        { traceId: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', spanId: 'bbbbbbbbbbbbbbbb', flags: 1 },
      ],
    });
    const [record] = convert(text).spans;
    expect(record).toMatchObject({
      kind: 'CLIENT',
      startTimeUnixNano: 1000n,
      endTimeUnixNano: 2000n,
      flags: 1,
      status: { code: 'ERROR', message: 'upstream failed' },
      attributes: {
        i: '9007199254740993',
        n: 12,
        d: 0.5,
        inf: 'Infinity',
        b: true,
        bytes: 'AQID',
        arr: ['x', 1],
        kv: { k: false },
      },
      events: [{ name: 'ev', timeUnixNano: 1500n, attributes: {} }],
      links: [{ traceId: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', spanId: 'bbbbbbbbbbbbbbbb' }],
    });
    expect(record?.parentSpanId).toBeNull();
  });

  it('accepts integer status codes', () => {
    const [record] = convert(oneSpanDocument({ status: { code: 1 } })).spans;
    expect(record?.status).toEqual({ code: 'OK' });
  });

  it('ignores unknown fields at every level', () => {
    const text = oneSpanDocument(
      { someFutureField: { a: 1 }, attributes: [{ key: 'a', value: { stringValue: 'b' }, x: 1 }] },
      { futureResourceField: true, schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' },
    );
    expect(convert(text).spans[0]?.attributes).toEqual({ a: 'b' });
  });

  it('accepts the original snake_case field names', () => {
    const text = JSON.stringify({
      resource_spans: [
        {
          scope_spans: [
            {
              spans: [
                {
                  trace_id: '5b8efff798038103d269b633813fc60c',
                  span_id: 'eee19b7ec3c1b174',
                  parent_span_id: 'eee19b7ec3c1b173',
                  name: 'snake',
                  start_time_unix_nano: '1',
                  end_time_unix_nano: '2',
                },
              ],
            },
          ],
        },
      ],
    });
    const [record] = convert(text).spans;
    expect(record).toMatchObject({ name: 'snake', parentSpanId: 'eee19b7ec3c1b173' });
  });

  it('treats an empty parentSpanId as a root span', () => {
    expect(convert(oneSpanDocument({ parentSpanId: '' })).spans[0]?.parentSpanId).toBeNull();
  });

  it('rejects only the span whose id is not hex', () => {
    const text = JSON.stringify({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                { traceId: 'not-hex', spanId: 'eee19b7ec3c1b174', startTimeUnixNano: '1' },
                {
                  traceId: '5b8efff798038103d269b633813fc60c',
                  spanId: 'eee19b7ec3c1b174',
                  startTimeUnixNano: '1',
                  endTimeUnixNano: '1',
                },
              ],
            },
          ],
        },
      ],
    });
    const { spans, rejected } = convert(text);
    expect(spans).toHaveLength(1);
    expect(rejected).toEqual([{ index: 0, reason: expect.stringMatching(/trace_id/) }]);
  });

  it('reads an empty object as a request without spans', () => {
    expect(parsed('{}').resourceSpans).toEqual([]);
  });

  it.each([
    ['malformed JSON', '{"resourceSpans": ['],
    ['a JSON array', '[]'],
    ['a JSON string', '"hello"'],
    ['null', 'null'],
    ['a wrongly typed field', '{"resourceSpans": "nope"}'],
    ['a bad int64', oneSpanDocument({ startTimeUnixNano: 'soon' })],
    [
      'a bad base64 bytes value',
      oneSpanDocument({ attributes: [{ key: 'b', value: { bytesValue: '%%%' } }] }),
    ],
  ])('returns an error for %s', (_name, text) => {
    for (const result of [parseOtlpJsonRequest(text), otlpJsonToProtobuf(text)]) {
      expect(isOtlpDecodeError(result)).toBe(true);
      expect((result as OtlpDecodeError).error).toMatch(/^invalid (JSON|OTLP\/JSON)/);
    }
  });

  it('never throws on arbitrary strings or JSON values', () => {
    for (const parse of [parseOtlpJsonRequest, otlpJsonToProtobuf]) {
      fc.assert(
        fc.property(fc.string(), (text) => {
          parse(text);
        }),
      );
      fc.assert(
        fc.property(fc.json(), (text) => {
          parse(text);
        }),
      );
      fc.assert(
        fc.property(fc.jsonValue(), (value) => {
          parse(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [value] }] }] }));
        }),
      );
    }
  });
});

describe('otlpJsonToProtobuf', () => {
  it('writes protobuf that protobuf-es reads as the message of the same body', () => {
    const long = 'é☃𝄞'.repeat(3000);
    for (const text of [
      SPEC_STYLE_DOCUMENT,
      oneSpanDocument({
        kind: 'SPAN_KIND_SERVER',
        status: { code: 2, message: long },
        attributes: [
          { key: 'long', value: { stringValue: long } },
          { key: 'neg', value: { intValue: '-5' } },
          { key: 'arr', value: { arrayValue: { values: [{ doubleValue: -0.25 }] } } },
        ],
      }),
    ]) {
      const bytes = otlpJsonToProtobuf(text);
      if (isOtlpDecodeError(bytes)) throw new Error(bytes.error);
      expect(parseOtlpProtobufRequest(bytes)).toEqual(parsed(text));
    }
  });

  it('names the field of a value of the wrong JSON type', () => {
    expect(otlpJsonToProtobuf(oneSpanDocument({ name: 42 }))).toEqual({
      error: 'invalid OTLP/JSON: name must be a string',
    });
    expect(otlpJsonToProtobuf(oneSpanDocument({ startTimeUnixNano: 'soon' }))).toEqual({
      error: 'invalid OTLP/JSON: startTimeUnixNano must be an integer',
    });
  });
});

describe('parseOtlpProtobufRequest', () => {
  it('decodes what protobuf-es encodes', () => {
    const req = request([span({ attributes: [strAttr('a', 'b')] })]);
    const result = parseOtlpProtobufRequest(toBinary(ExportTraceServiceRequestSchema, req));
    if (isOtlpDecodeError(result)) throw new Error(result.error);
    expect(spansOf(result, { projectId: 'p' })).toEqual(spansOf(req, { projectId: 'p' }));
  });

  it('decodes an empty body as a request without spans', () => {
    const result = parseOtlpProtobufRequest(new Uint8Array());
    expect(isOtlpDecodeError(result)).toBe(false);
  });

  it('returns an error for truncated protobuf', () => {
    const bin = toBinary(ExportTraceServiceRequestSchema, request([span()]));
    const result = parseOtlpProtobufRequest(bin.subarray(0, bin.length - 3));
    expect(isOtlpDecodeError(result)).toBe(true);
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bin) => {
        const result = parseOtlpProtobufRequest(bin);
        if (!isOtlpDecodeError(result)) spansOf(result, { projectId: 'p' });
      }),
    );
  });
});
