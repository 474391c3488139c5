import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import {
  attr,
  bytes,
  PARENT_ID,
  request,
  SPAN_ID,
  span,
  strAttr,
  TRACE_ID,
} from '../../test/otlp-fixtures.ts';
import {
  type ExportTraceServiceRequest,
  ExportTraceServiceRequestSchema,
} from '../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts';
import { AnyValueSchema } from '../gen/opentelemetry/proto/common/v1/common_pb.ts';
import { Span_SpanKind, Status_StatusCode } from '../gen/opentelemetry/proto/trace/v1/trace_pb.ts';
import { isOtlpDecodeError } from '../otlp-json.ts';
import { decodeRequestSpans } from './decode-spans.ts';
import type { SpanDecodeOptions, SpanDecodeResult } from './span-fields.ts';

const PROJECT = 'proj_test';

/** The decoder over a decoded request, as the JSON paths call it; a decode error fails the test. */
function decode(req: ExportTraceServiceRequest, options: SpanDecodeOptions): SpanDecodeResult {
  const result = decodeRequestSpans(req, options);
  if (isOtlpDecodeError(result)) throw new Error(result.error);
  return result;
}

const convert = (req = request([span()])) => decode(req, { projectId: PROJECT });

describe('decodeRequestSpans converts valid spans', () => {
  it('maps ids, times, name, resource and scope into a span record', () => {
    const { spans, rejected } = convert();
    expect(rejected).toEqual([]);
    expect(spans).toEqual([
      {
        projectId: PROJECT,
        traceId: TRACE_ID,
        spanId: SPAN_ID,
        parentSpanId: PARENT_ID,
        name: 'work',
        kind: 'INTERNAL',
        startTimeUnixNano: 1_700_000_000_000_000_000n,
        endTimeUnixNano: 1_700_000_000_500_000_000n,
        status: { code: 'UNSET' },
        attributes: {},
        resource: { attributes: { 'service.name': 'app', 'project.id': PROJECT } },
        scope: { name: 'lib', version: '1.2.3' },
        events: [],
        links: [],
        source: 'otlp',
      },
    ]);
  });

  it('treats an empty or all-zero parent span id as a root', () => {
    const req = request([
      span({ parentSpanId: new Uint8Array() }),
      span({ parentSpanId: new Uint8Array(8) }),
    ]);
    expect(convert(req).spans.map((s) => s.parentSpanId)).toEqual([null, null]);
  });

  it.each([
    [Span_SpanKind.UNSPECIFIED, 'INTERNAL'],
    [Span_SpanKind.INTERNAL, 'INTERNAL'],
    [Span_SpanKind.SERVER, 'SERVER'],
    [Span_SpanKind.CLIENT, 'CLIENT'],
    [Span_SpanKind.PRODUCER, 'PRODUCER'],
    [Span_SpanKind.CONSUMER, 'CONSUMER'],
    [42, 'INTERNAL'],
  ])('maps span kind %i to %s', (kind, name) => {
    expect(convert(request([span({ kind })])).spans[0]?.kind).toBe(name);
  });

  it.each([
    [undefined, { code: 'UNSET' }],
    [{ code: Status_StatusCode.UNSET, message: '' }, { code: 'UNSET' }],
    [{ code: Status_StatusCode.OK }, { code: 'OK' }],
    [
      { code: Status_StatusCode.ERROR, message: 'boom' },
      { code: 'ERROR', message: 'boom' },
    ],
    [{ code: Status_StatusCode.ERROR, message: '' }, { code: 'ERROR' }],
    [{ code: 7 }, { code: 'UNSET' }],
  ])('maps status %o to %o', (status, expected) => {
    expect(convert(request([span({ status })])).spans[0]?.status).toEqual(expected);
  });

  it('keeps events, links with trace state, flags, trace state and dropped counts', () => {
    const linkTrace = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    const req = request([
      span({
        traceState: 'rojo=00f067aa0ba902b7',
        flags: 0x301,
        droppedAttributesCount: 2,
        droppedEventsCount: 3,
        droppedLinksCount: 4,
        attributes: [strAttr('gen_ai.request.model', 'gpt-4o')],
        events: [
          {
            name: 'exception',
            timeUnixNano: 1_700_000_000_100_000_000n,
            attributes: [strAttr('exception.message', 'nope')],
            droppedAttributesCount: 1,
          },
        ],
        links: [
          {
            traceId: bytes(linkTrace),
            spanId: bytes('bbbbbbbbbbbbbbbb'),
            traceState: 'congo=t61rcWkgMzE',
            attributes: [strAttr('link.kind', 'follows')],
            flags: 1,
          },
        ],
      }),
    ]);
    const [record] = convert(req).spans;
    expect(record).toMatchObject({
      traceState: 'rojo=00f067aa0ba902b7',
      flags: 1,
      droppedAttributesCount: 2,
      droppedEventsCount: 3,
      droppedLinksCount: 4,
      attributes: { 'gen_ai.request.model': 'gpt-4o' },
      events: [
        {
          name: 'exception',
          timeUnixNano: 1_700_000_000_100_000_000n,
          attributes: { 'exception.message': 'nope' },
          droppedAttributesCount: 1,
        },
      ],
      links: [
        {
          traceId: linkTrace,
          spanId: 'bbbbbbbbbbbbbbbb',
          traceState: 'congo=t61rcWkgMzE',
          attributes: { 'link.kind': 'follows' },
        },
      ],
    });
  });

  it('leaves flags out when the exporter did not set them', () => {
    expect(convert().spans[0]).not.toHaveProperty('flags');
  });

  it('records flags 0 when only the is-remote bits are set', () => {
    expect(convert(request([span({ flags: 0x100 })])).spans[0]?.flags).toBe(0);
  });

  it('converts every AnyValue type in span attributes', () => {
    const v = (init: Parameters<typeof create<typeof AnyValueSchema>>[1]) =>
      create(AnyValueSchema, init);
    const req = request([
      span({
        attributes: [
          attr('s', v({ value: { case: 'stringValue', value: 'x' } })),
          attr('b', v({ value: { case: 'boolValue', value: true } })),
          attr('i', v({ value: { case: 'intValue', value: 5n } })),
          attr('big', v({ value: { case: 'intValue', value: 2n ** 60n } })),
          attr('d', v({ value: { case: 'doubleValue', value: 0.25 } })),
          attr('nan', v({ value: { case: 'doubleValue', value: Number.NaN } })),
          attr('bytes', v({ value: { case: 'bytesValue', value: new Uint8Array([1, 2, 3]) } })),
          attr(
            'arr',
            v({
              value: {
                case: 'arrayValue',
                value: { values: [v({ value: { case: 'intValue', value: 1n } })] },
              },
            }),
          ),
          attr('kv', v({ value: { case: 'kvlistValue', value: { values: [strAttr('k', 'v')] } } })),
          attr('empty', v({})),
        ],
      }),
    ]);
    expect(convert(req).spans[0]?.attributes).toEqual({
      s: 'x',
      b: true,
      i: 5,
      big: '1152921504606846976',
      d: 0.25,
      nan: 'NaN',
      bytes: 'AQID',
      arr: [1],
      kv: { k: 'v' },
      empty: null,
    });
  });

  it('gives spans of several resources and scopes their own resource and scope', () => {
    const req = create(ExportTraceServiceRequestSchema, {
      resourceSpans: [
        {
          resource: { attributes: [strAttr('service.name', 'a')] },
          scopeSpans: [
            { scope: { name: 's1' }, spans: [span()] },
            { spans: [span({ spanId: bytes('0000000000000002') })] },
          ],
        },
        {
          scopeSpans: [
            { scope: { name: 's3' }, spans: [span({ spanId: bytes('0000000000000003') })] },
          ],
        },
      ],
    });
    const { spans } = convert(req);
    expect(spans.map((s) => [s.resource.attributes, s.scope?.name])).toEqual([
      [{ 'service.name': 'a', 'project.id': PROJECT }, 's1'],
      [{ 'service.name': 'a', 'project.id': PROJECT }, undefined],
      [{ 'project.id': PROJECT }, 's3'],
    ]);
  });
});

describe('decodeRequestSpans rejects invalid spans one by one', () => {
  const cases: [string, Parameters<typeof span>[0], RegExp][] = [
    ['an empty trace id', { traceId: new Uint8Array() }, /trace_id/],
    ['a short trace id', { traceId: new Uint8Array(15).fill(1) }, /trace_id/],
    ['a long trace id', { traceId: new Uint8Array(17).fill(1) }, /trace_id/],
    ['an all-zero trace id', { traceId: new Uint8Array(16) }, /trace_id/],
    ['an empty span id', { spanId: new Uint8Array() }, /span_id/],
    ['a short span id', { spanId: new Uint8Array(7).fill(1) }, /span_id/],
    ['an all-zero span id', { spanId: new Uint8Array(8) }, /span_id/],
    ['a parent id of the wrong length', { parentSpanId: new Uint8Array(4).fill(1) }, /parent/],
    ['an end before the start', { startTimeUnixNano: 10n, endTimeUnixNano: 9n }, /before/],
    ['a missing start time', { startTimeUnixNano: 0n, endTimeUnixNano: 0n }, /start_time/],
  ];
  it.each(cases)('rejects %s and keeps the valid spans around it', (_name, init, reason) => {
    const req = request([span(), span(init), span({ spanId: bytes('1111111111111111') })]);
    const { spans, rejected } = convert(req);
    expect(spans.map((s) => s.spanId)).toEqual([SPAN_ID, '1111111111111111']);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.index).toBe(1);
    expect(rejected[0]?.reason).toMatch(reason);
  });

  it('counts the index across resources and scopes', () => {
    const bad = span({ traceId: new Uint8Array(16) });
    const req = create(ExportTraceServiceRequestSchema, {
      resourceSpans: [
        { scopeSpans: [{ spans: [span()] }, { spans: [span(), bad] }] },
        { scopeSpans: [{ spans: [bad, span()] }] },
      ],
    });
    expect(convert(req).rejected.map((r) => r.index)).toEqual([2, 3]);
  });

  it('accepts a span whose end equals its start', () => {
    const req = request([span({ startTimeUnixNano: 5n, endTimeUnixNano: 5n })]);
    expect(convert(req).rejected).toEqual([]);
  });

  it('drops links with invalid ids and counts them as dropped links', () => {
    const req = request([
      span({
        links: [
          { traceId: new Uint8Array(16), spanId: bytes('bbbbbbbbbbbbbbbb') },
          { traceId: bytes(TRACE_ID), spanId: new Uint8Array(3) },
          { traceId: bytes(TRACE_ID), spanId: bytes('bbbbbbbbbbbbbbbb') },
        ],
      }),
    ]);
    const [record] = convert(req).spans;
    expect(record?.links).toHaveLength(1);
    expect(record?.droppedLinksCount).toBe(2);
  });
});

describe('decodeRequestSpans binds spans to the project', () => {
  it('overwrites project.id at resource level and drops it at scope, span, event and link level', () => {
    const evil = strAttr('project.id', 'proj_other');
    const req = request(
      [
        span({
          attributes: [evil, strAttr('keep', 'yes')],
          events: [{ name: 'e', timeUnixNano: 1n, attributes: [evil] }],
          links: [{ traceId: bytes(TRACE_ID), spanId: bytes(PARENT_ID), attributes: [evil] }],
        }),
      ],
      [evil, strAttr('service.name', 'app')],
      [evil],
    );
    const [record] = convert(req).spans;
    expect(record?.projectId).toBe(PROJECT);
    expect(record?.resource.attributes).toEqual({ 'project.id': PROJECT, 'service.name': 'app' });
    expect(record?.scope).toEqual({ name: 'lib', version: '1.2.3' });
    expect(record?.attributes).toEqual({ keep: 'yes' });
    expect(record?.events[0]?.attributes).toEqual({});
    expect(record?.links[0]?.attributes).toEqual({});
  });

  it('does not count a removed project.id as a dropped attribute', () => {
    const req = request([span({ attributes: [strAttr('project.id', 'x')] })]);
    expect(convert(req).spans[0]).not.toHaveProperty('droppedAttributesCount');
  });
});

describe('decodeRequestSpans applies attribute limits', () => {
  it('drops attributes over the limit into droppedAttributesCount and truncates long values', () => {
    const req = request([
      span({
        droppedAttributesCount: 1,
        attributes: [strAttr('a', 'x'.repeat(50)), strAttr('b', 'y'), strAttr('c', 'z')],
        events: [
          {
            name: 'e',
            timeUnixNano: 1n,
            attributes: [strAttr('a', '1'), strAttr('b', '2'), strAttr('c', '3')],
          },
        ],
      }),
    ]);
    const { spans } = decode(req, {
      projectId: PROJECT,
      limits: { maxAttributesPerSpan: 2, maxAttributeValueLength: 10 },
    });
    expect(spans[0]?.attributes).toEqual({ a: 'x'.repeat(10), b: 'y' });
    expect(spans[0]?.droppedAttributesCount).toBe(2);
    expect(spans[0]?.events[0]?.droppedAttributesCount).toBe(1);
  });

  it('always keeps project.id on the resource even when resource attributes hit the limit', () => {
    const req = request([span()], [strAttr('a', '1'), strAttr('b', '2'), strAttr('c', '3')]);
    const { spans } = decode(req, { projectId: PROJECT, limits: { maxAttributesPerSpan: 1 } });
    expect(spans[0]?.resource).toEqual({
      attributes: { a: '1', 'project.id': PROJECT },
      droppedAttributesCount: 2,
    });
  });
});

describe('protobuf round trip', () => {
  it('converts the same spans after toBinary and fromBinary', () => {
    const req = request([
      span({
        kind: Span_SpanKind.SERVER,
        flags: 1,
        status: { code: Status_StatusCode.ERROR, message: 'bad' },
        attributes: [strAttr('http.route', '/v1/chat')],
        events: [{ name: 'e', timeUnixNano: 3n }],
      }),
    ]);
    const decoded = fromBinary(
      ExportTraceServiceRequestSchema,
      toBinary(ExportTraceServiceRequestSchema, req),
    );
    expect(convert(decoded)).toEqual(convert(req));
  });

  it('decodes Span.flags as fixed32 field 16 on the wire', () => {
    const bin = toBinary(ExportTraceServiceRequestSchema, request([span({ flags: 0x01 })]));
    // Field 16, wire type 5 (fixed32): tag varint 0x85 0x01, then 4 little-endian bytes.
    const hex = Array.from(bin, (b) => b.toString(16).padStart(2, '0')).join('');
    expect(hex).toContain('850101000000');
  });
});
