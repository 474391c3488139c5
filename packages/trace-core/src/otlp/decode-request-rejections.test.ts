import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import {
  bytes,
  decodeRequest,
  PARENT_ID,
  request,
  SPAN_ID,
  span,
  strAttr,
  TRACE_ID,
} from '../../test/otlp-fixtures.ts';
import { ExportTraceServiceRequestSchema } from '../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts';
import { Span_SpanKind, Status_StatusCode } from '../gen/opentelemetry/proto/trace/v1/trace_pb.ts';

const PROJECT = 'proj_test';
const decode = decodeRequest;

const convert = (req = request([span()])) => decode(req, { projectId: PROJECT });

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
