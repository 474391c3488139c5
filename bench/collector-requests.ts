/**
 * OTLP requests for the collector benchmark, encoded once with the generated protobuf-es code:
 * batches of 512 spans of ~600 bytes (ten attributes each, like an OTel SDK span), in traces of
 * four spans, with ids derived from a seed so every request of a run is distinct.
 */
import { create, type MessageInitShape, toBinary } from '@bufbuild/protobuf';
import {
  ExportTraceServiceRequestSchema,
  type KeyValueSchema,
  type SpanSchema,
} from '@to11/trace-core';

/** Spans per request, as a BatchSpanProcessor sends them by default. */
export const SPANS_PER_REQUEST = 512;
const SPANS_PER_TRACE = 4;

type KeyValueInit = MessageInitShape<typeof KeyValueSchema>;

function str(key: string, value: string): KeyValueInit {
  return { key, value: { value: { case: 'stringValue', value } } };
}

function int(key: string, value: number): KeyValueInit {
  return { key, value: { value: { case: 'intValue', value: BigInt(value) } } };
}

function id(length: number, seed: number, a: number, b: number): Uint8Array {
  const bytes = new Uint8Array(length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, seed);
  view.setUint32(4, a);
  if (length === 16) view.setUint32(8, b);
  else view.setUint16(6, b & 0xffff);
  bytes[length - 1] = (bytes[length - 1] ?? 0) | 1;
  return bytes;
}

function span(seed: number, request: number, index: number, startNs: bigint) {
  const trace = Math.floor(index / SPANS_PER_TRACE);
  const isRoot = index % SPANS_PER_TRACE === 0;
  const start = startNs + BigInt(index) * 1_000_000n;
  const init: MessageInitShape<typeof SpanSchema> = {
    traceId: id(16, seed, request, trace),
    spanId: id(8, seed, request, index),
    parentSpanId: isRoot ? new Uint8Array() : id(8, seed, request, trace * SPANS_PER_TRACE),
    name: isRoot ? 'POST /api/v1/search' : 'SELECT documents',
    kind: isRoot ? 2 : 3,
    startTimeUnixNano: start,
    endTimeUnixNano: start + 3_456_789n,
    status: { code: 1 },
    flags: 0x301,
    attributes: [
      str('http.request.method', 'POST'),
      str('url.path', '/api/v1/search'),
      int('http.response.status_code', 200),
      str('db.system.name', 'postgresql'),
      str('db.collection.name', 'documents'),
      str(
        'db.query.text',
        'SELECT d.id, d.title, d.updated_at, ts_rank(d.search, q) AS rank FROM documents d, plainto_tsquery($2) q WHERE d.tenant_id = $1 AND d.search @@ q ORDER BY rank DESC LIMIT 20',
      ),
      str('server.address', 'db.internal.example.com'),
      int('server.port', 5432),
      str('app.request.id', `req-${seed.toString(16)}-${request}-${index}`),
      str('app.user.tier', 'enterprise'),
    ],
  };
  return init;
}

/** `count` encoded `ExportTraceServiceRequest`s of `SPANS_PER_REQUEST` spans each. */
export function makeRequests(count: number, seed: number, startNs: bigint): Uint8Array[] {
  const requests: Uint8Array[] = [];
  for (let r = 0; r < count; r++) {
    const spans = Array.from({ length: SPANS_PER_REQUEST }, (_, i) => span(seed, r, i, startNs));
    const message = create(ExportTraceServiceRequestSchema, {
      resourceSpans: [
        {
          resource: {
            attributes: [
              str('service.name', 'search-api'),
              str('service.version', '2.3.1'),
              str('host.name', 'search-api-7d9f'),
              str('telemetry.sdk.language', 'nodejs'),
            ],
          },
          scopeSpans: [{ scope: { name: 'search-api', version: '2.3.1' }, spans }],
        },
      ],
    });
    requests.push(toBinary(ExportTraceServiceRequestSchema, message));
  }
  return requests;
}
