import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import {
  attr,
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
import { AnyValueSchema } from '../gen/opentelemetry/proto/common/v1/common_pb.ts';
import { Span_SpanKind, Status_StatusCode } from '../gen/opentelemetry/proto/trace/v1/trace_pb.ts';

const PROJECT = 'proj_test';
const decode = decodeRequest;

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
