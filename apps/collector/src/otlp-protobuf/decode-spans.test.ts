import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { create, fromBinary, type MessageInitShape, toBinary } from '@bufbuild/protobuf';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  type AnyValueSchema,
  ExportTraceServiceRequestSchema,
  InstrumentationScopeSchema,
  isOtlpDecodeError,
  KeyValueSchema,
  type OtlpToSpansOptions,
  otlpToSpans,
  ResourceSchema,
  ResourceSpansSchema,
  type Span_SpanKind,
  SpanSchema,
} from '@to11/trace-core';
import { describe, expect, it } from 'vitest';
import { buildSpanFixture } from '../../test/span-fixture.ts';
import { decodeResourceSpansParts, decodeSpans } from './decode-spans.ts';

const UNLIMITED: OtlpToSpansOptions = { projectId: 'proj_a' };
const LIMITED: OtlpToSpansOptions = {
  projectId: 'proj_b',
  limits: { maxAttributesPerSpan: 4, maxAttributeValueLength: 3 },
};

/** What the collector did before the fused decoder: protobuf-es `fromBinary`, then convert. */
function reference(bytes: Uint8Array, options = UNLIMITED) {
  try {
    const request = fromBinary(ExportTraceServiceRequestSchema, bytes, {
      readUnknownFields: false,
    });
    return otlpToSpans(request, options);
  } catch {
    return 'error';
  }
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

type AnyValueInit = MessageInitShape<typeof AnyValueSchema>;
type KeyValueInit = MessageInitShape<typeof KeyValueSchema>;

const kv = (key: string, value: AnyValueInit['value']): KeyValueInit => ({ key, value: { value } });

/** A request that sets every field of every message, with nesting and repeated singulars. */
function richRequest(): Uint8Array {
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
async function exporterBytes(): Promise<Uint8Array> {
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
function mergedFieldsRequest(): Uint8Array {
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

describe('decodeSpans', () => {
  it('decodes every field exactly like protobuf-es fromBinary', () => {
    const bytes = richRequest();
    expect(mine(bytes)).toEqual(reference(bytes));
    expect(mine(new Uint8Array())).toEqual(reference(new Uint8Array()));
  });

  it('applies limits and project binding like otlpToSpans, and reads gRPC parts the same', () => {
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

  it('decodes what the official exporter sends exactly like fromBinary', async () => {
    const bytes = await exporterBytes();
    expect(bytes.length).toBeGreaterThan(100);
    expect(mine(bytes)).toEqual(reference(bytes));
    expect(mine(bytes, LIMITED)).toEqual(reference(bytes, LIMITED));
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
  });

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
