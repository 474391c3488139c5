/**
 * OTLP requests for the decoder tests: one that sets every field of every message, one with
 * singular fields sent twice and a resource and scope after their spans (framed by hand, as
 * protobuf-es never writes them), and the bytes the official exporter sends.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { create, type MessageInitShape, toBinary } from '@bufbuild/protobuf';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  type AnyValueSchema,
  ExportTraceServiceRequestSchema,
  InstrumentationScopeSchema,
  KeyValueSchema,
  ResourceSchema,
  type Span_SpanKind,
  SpanSchema,
} from '@to11/trace-core';
import { buildSpanFixture } from '../../test/span-fixture.ts';

export type AnyValueInit = MessageInitShape<typeof AnyValueSchema>;
type KeyValueInit = MessageInitShape<typeof KeyValueSchema>;

const kv = (key: string, value: AnyValueInit['value']): KeyValueInit => ({ key, value: { value } });

/** A request that sets every field of every message, with nesting and repeated singulars. */
export function richRequest(): Uint8Array {
  const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);
  const attributes: KeyValueInit[] = [
    kv('s', { case: 'stringValue', value: 'héllo ✓' }),
    kv('b', { case: 'boolValue', value: true }),
    kv('i', { case: 'intValue', value: -9_007_199_254_740_993n }),
    kv('d', { case: 'doubleValue', value: -0.5 }),
    kv('y', { case: 'bytesValue', value: Uint8Array.of(0, 255) }),
    kv('a', {
      case: 'arrayValue',
      value: {
        values: [
          { value: { case: 'stringValue', value: 'x' } },
          {
            value: {
              case: 'arrayValue',
              value: { values: [{ value: { case: 'intValue', value: 1n } }] },
            },
          },
          {},
        ],
      },
    }),
    kv('m', {
      case: 'kvlistValue',
      value: {
        values: [
          kv('k', { case: 'boolValue', value: false }),
          kv('project.id', { case: 'stringValue', value: 'kept inside a kvlist' }),
        ],
      },
    }),
    { key: 'empty' },
    kv('project.id', { case: 'stringValue', value: 'someone-else' }),
    kv('s', { case: 'stringValue', value: 'repeated key' }),
    kv('__proto__', { case: 'stringValue', value: 'own key' }),
    kv('nan', { case: 'doubleValue', value: Number.NaN }),
    kv('big', { case: 'intValue', value: 2n ** 60n }),
  ];
  const message = create(ExportTraceServiceRequestSchema, {
    resourceSpans: [
      {
        resource: { attributes, droppedAttributesCount: 2 },
        schemaUrl: 'https://opentelemetry.io/schemas/1.30.0',
        scopeSpans: [
          {
            scope: { name: 'scope', version: '1.0', attributes, droppedAttributesCount: 1 },
            schemaUrl: 'scope-schema',
            spans: [
              {
                traceId: bytes(16, 1),
                spanId: bytes(8, 2),
                traceState: 'k=v',
                parentSpanId: bytes(8, 3),
                flags: 0x301,
                name: 'span',
                kind: 5,
                startTimeUnixNano: 1_700_000_000_000_000_000n,
                endTimeUnixNano: 18_446_744_073_709_551_615n,
                attributes,
                droppedAttributesCount: 3,
                events: [
                  { timeUnixNano: 7n, name: 'e', attributes, droppedAttributesCount: 4 },
                  { name: 'bare' },
                ],
                droppedEventsCount: 5,
                links: [
                  { traceId: bytes(16, 0), spanId: bytes(8, 5) },
                  {
                    traceId: bytes(16, 4),
                    spanId: bytes(8, 5),
                    traceState: 'a=b',
                    attributes,
                    droppedAttributesCount: 6,
                    flags: 1,
                  },
                ],
                droppedLinksCount: 7,
                status: { message: 'broken', code: 2 },
              },
              { kind: -1 as Span_SpanKind },
              {
                traceId: bytes(16, 9),
                spanId: bytes(8, 9),
                parentSpanId: bytes(8, 0),
                name: 'root with zero parent',
                startTimeUnixNano: 5n,
                endTimeUnixNano: 5n,
                status: { code: 1 },
              },
              { traceId: bytes(16, 9), spanId: bytes(8, 8), parentSpanId: bytes(4, 1) },
              {
                traceId: bytes(16, 9),
                spanId: bytes(8, 7),
                startTimeUnixNano: 9n,
                endTimeUnixNano: 8n,
              },
            ],
          },
          {},
        ],
      },
      {},
    ],
  });
  return toBinary(ExportTraceServiceRequestSchema, message);
}

/** The bytes the official OTLP/HTTP protobuf exporter sends for the SDK fixture. */
export async function exporterBytes(): Promise<Uint8Array> {
  let body = Buffer.alloc(0);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      body = Buffer.concat(chunks);
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const exporter = new OTLPTraceExporter({ url: `http://127.0.0.1:${port}/v1/traces` });
  const fixture = await buildSpanFixture();
  await new Promise((resolve) => exporter.export(fixture.spans, resolve));
  await exporter.shutdown();
  await new Promise((resolve) => server.close(resolve));
  return new Uint8Array(body);
}

/** Protobuf framing by hand, to send what protobuf-es never writes: a field twice, odd order. */
function varint(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    out.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  out.push(rest);
  return out;
}

function field(fieldNo: number, body: Uint8Array): Uint8Array {
  return Uint8Array.from([...varint((fieldNo << 3) | 2), ...varint(body.length), ...body]);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((part) => [...part]));
}

/**
 * A request where singular fields come twice (protobuf merges them) and a resource and a scope
 * come after their spans.
 */
export function mergedFieldsRequest(): Uint8Array {
  const keyValue = (init: KeyValueInit) => toBinary(KeyValueSchema, create(KeyValueSchema, init));
  const array = (n: bigint): AnyValueInit['value'] => ({
    case: 'arrayValue',
    value: { values: [{ value: { case: 'intValue', value: n } }] },
  });
  const kvlist = (key: string): AnyValueInit['value'] => ({
    case: 'kvlistValue',
    value: { values: [kv(key, { case: 'boolValue', value: true })] },
  });
  const attributes = [
    // value sent twice: arrays append, kvlists merge, a scalar replaces an array
    concat(keyValue(kv('arr', array(1n))), keyValue({ value: { value: array(2n) } })),
    concat(keyValue(kv('map', kvlist('x'))), keyValue({ value: { value: kvlist('y') } })),
    concat(
      keyValue(kv('replaced', array(1n))),
      keyValue({ value: { value: { case: 'boolValue', value: false } } }),
    ),
    // key sent twice: the last wins (the value comes from the first part)
    concat(keyValue(kv('first', { case: 'stringValue', value: 'v' })), keyValue({ key: 'second' })),
  ];
  const spanBase = toBinary(
    SpanSchema,
    create(SpanSchema, {
      traceId: new Uint8Array(16).fill(1),
      spanId: new Uint8Array(8).fill(2),
      name: 'first name',
      startTimeUnixNano: 10n,
      endTimeUnixNano: 20n,
      status: { code: 2 },
    }),
  );
  const span = concat(
    spanBase,
    ...attributes.map((attribute) => field(9, attribute)),
    toBinary(SpanSchema, create(SpanSchema, { name: 'second name', status: { message: 'why' } })),
  );
  const scope = (init: MessageInitShape<typeof InstrumentationScopeSchema>) =>
    toBinary(InstrumentationScopeSchema, create(InstrumentationScopeSchema, init));
  const resource = (init: MessageInitShape<typeof ResourceSchema>) =>
    toBinary(ResourceSchema, create(ResourceSchema, init));
  const scopeSpans = concat(
    field(2, span),
    field(1, scope({ name: 'scope', attributes: [kv('a', { case: 'boolValue', value: true })] })),
    field(1, scope({ version: '2.0' })),
  );
  const resourceSpans = concat(
    field(2, scopeSpans),
    field(1, resource({ attributes: [kv('service.name', { case: 'stringValue', value: 'svc' })] })),
    field(
      1,
      resource({
        attributes: [kv('host.name', { case: 'stringValue', value: 'h' })],
        droppedAttributesCount: 3,
      }),
    ),
  );
  return field(1, resourceSpans);
}
