import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { create, fromBinary, type MessageInitShape, toBinary } from '@bufbuild/protobuf';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  type AnyValueSchema,
  ExportTraceServiceRequestSchema,
  type KeyValueSchema,
  type Span_SpanKind,
} from '@to11/trace-core';
import { describe, expect, it } from 'vitest';
import { buildSpanFixture } from '../../test/span-fixture.ts';
import { decodeTraceRequest } from './decode-trace-request.ts';

function reference(bytes: Uint8Array) {
  try {
    return fromBinary(ExportTraceServiceRequestSchema, bytes, { readUnknownFields: false });
  } catch {
    return 'error';
  }
}

function mine(bytes: Uint8Array) {
  const decoded = decodeTraceRequest(bytes);
  return 'error' in decoded && typeof decoded.error === 'string' ? 'error' : decoded;
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
      value: { values: [kv('k', { case: 'boolValue', value: false })] },
    }),
    { key: 'empty' },
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
                startTimeUnixNano: 18_446_744_073_709_551_615n,
                endTimeUnixNano: 1n,
                attributes,
                droppedAttributesCount: 3,
                events: [
                  { timeUnixNano: 7n, name: 'e', attributes, droppedAttributesCount: 4 },
                  { name: 'bare' },
                ],
                droppedEventsCount: 5,
                links: [
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

describe('decodeTraceRequest', () => {
  it('decodes every field exactly like protobuf-es fromBinary', () => {
    const bytes = richRequest();
    expect(mine(bytes)).toEqual(reference(bytes));
    expect(mine(new Uint8Array())).toEqual(reference(new Uint8Array()));
  });

  it('decodes what the official exporter sends exactly like fromBinary', async () => {
    const bytes = await exporterBytes();
    expect(bytes.length).toBeGreaterThan(100);
    expect(mine(bytes)).toEqual(reference(bytes));
  });

  it('agrees with fromBinary on every truncation and on corrupted bytes', () => {
    const bytes = richRequest();
    for (let end = 0; end < bytes.length; end++) {
      const cut = bytes.subarray(0, end);
      expect(mine(cut), `cut at ${end}`).toEqual(reference(cut));
    }
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed;
    };
    for (let i = 0; i < 2000; i++) {
      const corrupted = Uint8Array.from(bytes);
      corrupted[random() % corrupted.length] = random() % 256;
      expect(mine(corrupted), `mutation ${i}`).toEqual(reference(corrupted));
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
          resourceSpans: [{ resource: { attributes: [{ key: 'deep', value }] } }],
        }),
      );
    };
    expect(mine(nested(45))).toEqual(reference(nested(45)));
    expect(reference(nested(45))).not.toBe('error');
    expect(reference(nested(60))).toBe('error');
    expect(mine(nested(60))).toBe('error');
    // resource_spans { schema_url: 0xc3 0x28 } (a cut two-byte sequence)
    const badUtf8 = Uint8Array.of(0x0a, 0x04, 0x1a, 0x02, 0xc3, 0x28);
    expect(reference(badUtf8)).toBe('error');
    expect(mine(badUtf8)).toBe('error');
  });
});
