/** Hand-built OTLP requests (generated protobuf-es code), for what SDKs will not send. */
import { randomBytes } from 'node:crypto';
import http2 from 'node:http2';
import { create, type MessageInitShape, toBinary } from '@bufbuild/protobuf';
import { createClient } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import {
  type ExportTraceServiceRequest,
  ExportTraceServiceRequestSchema,
  type KeyValueSchema,
  type SpanSchema,
  TraceService,
} from '@to11/trace-core';

type KeyValueInit = MessageInitShape<typeof KeyValueSchema>;
type SpanInit = MessageInitShape<typeof SpanSchema>;

/** A string attribute. */
export function str(key: string, value: string): KeyValueInit {
  return { key, value: { value: { case: 'stringValue', value } } };
}

/** Random ids as bytes and hex. */
export function ids(): {
  traceId: Uint8Array;
  spanId: Uint8Array;
  traceHex: string;
  spanHex: string;
} {
  const traceId = new Uint8Array(randomBytes(16));
  const spanId = new Uint8Array(randomBytes(8));
  return {
    traceId,
    spanId,
    traceHex: Buffer.from(traceId).toString('hex'),
    spanHex: Buffer.from(spanId).toString('hex'),
  };
}

/** A valid span in `traceId` with a random span id, 1 ms long. */
export function span(traceId: Uint8Array, init: SpanInit = {}): SpanInit {
  return {
    traceId,
    spanId: new Uint8Array(randomBytes(8)),
    name: 'hand-built',
    kind: 1,
    startTimeUnixNano: 1_774_459_800_000_000_000n,
    endTimeUnixNano: 1_774_459_800_001_000_000n,
    ...init,
  };
}

/** One resource, one scope, these spans. */
export function request(
  spans: SpanInit[],
  resourceAttributes: KeyValueInit[] = [],
  scopeAttributes: KeyValueInit[] = [],
): ExportTraceServiceRequest {
  return create(ExportTraceServiceRequestSchema, {
    resourceSpans: [
      {
        resource: { attributes: resourceAttributes },
        scopeSpans: [{ scope: { name: 'hand', attributes: scopeAttributes }, spans }],
      },
    ],
  });
}

/** Protobuf bytes of a request. */
export function encode(message: ExportTraceServiceRequest): Uint8Array {
  return toBinary(ExportTraceServiceRequestSchema, message);
}

/** A real gRPC client (connect-node, HTTP/2) of the collector's TraceService. */
export function grpcClient(grpcUrl: string) {
  return createClient(TraceService, createGrpcTransport({ baseUrl: grpcUrl }));
}

/** Sends raw bytes as one gRPC message to TraceService/Export; resolves the grpc-status. */
export function grpcRawExport(
  grpcUrl: string,
  token: string,
  message: Uint8Array,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(grpcUrl);
    session.on('error', reject);
    const stream = session.request({
      ':method': 'POST',
      ':path': `/${TraceService.typeName}/Export`,
      'content-type': 'application/grpc',
      te: 'trailers',
      authorization: `Bearer ${token}`,
    });
    let status = '';
    stream.on('response', (headers) => {
      status = String(headers['grpc-status'] ?? '');
    });
    stream.on('trailers', (trailers) => {
      status = String(trailers['grpc-status'] ?? status);
    });
    stream.on('data', () => {});
    stream.on('end', () => {
      session.close();
      resolve(status);
    });
    const frame = Buffer.alloc(5 + message.length);
    frame.writeUInt32BE(message.length, 1);
    frame.set(message, 5);
    stream.end(frame);
  });
}
