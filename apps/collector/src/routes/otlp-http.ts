import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { toBinary, toJson } from '@bufbuild/protobuf';
import {
  ExportTraceServiceResponseSchema,
  isOtlpDecodeError,
  otlpJsonToProtobuf,
} from '@to11/trace-core';
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Admission } from '../admission.ts';
import { countingFailures, guardFor } from '../auth-failures.ts';
import { CollectorError, exportError, overloadedError } from '../errors.ts';
import { exportResponse } from '../export-response.ts';
import type { ExportOutcome, TraceExporter, TraceRequest } from '../export-traces.ts';
import type { AppEnv } from '../http/env.ts';
import { authenticateIngest, type IngestProject } from '../ingest-auth.ts';
import type { IngestTokens } from '../ingest-token.ts';
import {
  isGzipEncoding,
  OTLP_CONTENT_TYPES,
  type OtlpEncoding,
  otlpEncodingOf,
} from '../otlp-http/otlp-content-type.ts';
import { readBody } from '../otlp-http/read-body.ts';

/** Where the Langfuse SDK's span processor sends OTLP/HTTP. */
export const LANGFUSE_TRACES_PATH = '/api/public/otel/v1/traces';

/** What `POST /v1/traces` needs. */
export interface OtlpHttpDeps {
  tokens: IngestTokens;
  exporter: TraceExporter;
  admission: Admission;
  maxBodyBytes: number;
}

/**
 * OTLP/HTTP `POST /v1/traces` (SPEC §6), also served at {@link LANGFUSE_TRACES_PATH}: protobuf
 * or JSON, optionally gzip; the reply is an
 * `ExportTraceServiceResponse` in the request's encoding, sent only once the spans are committed.
 */
export function otlpHttpRoute(deps: OtlpHttpDeps): Hono<AppEnv> {
  const { tokens, exporter, admission, maxBodyBytes } = deps;
  const handler = async (c: Context<AppEnv>): Promise<Response> => {
    const project = await countingFailures(guardFor(c, 'otlp_http'), () =>
      authenticateIngest(tokens, (name) => c.req.header(name)),
    );
    const encoding = otlpEncodingOf(c.req.header('content-type'));
    if (encoding === null) {
      throw new CollectorError(
        'unsupported_media_type',
        'Content-Type must be application/x-protobuf or application/json (OTLP/HTTP)',
      );
    }
    const gzip = isGzipEncoding(c.req.header('content-encoding'));
    if (gzip === null) {
      throw new CollectorError(
        'unsupported_media_type',
        'Content-Encoding must be gzip or identity',
      );
    }
    const declared = Number(c.req.header('content-length') ?? Number.NaN);
    if (!gzip && declared > maxBodyBytes) throw tooLarge(maxBodyBytes);
    if (!admission.tryEnter()) throw overloadedError();
    try {
      return await ingest(c, { encoding, gzip, project });
    } finally {
      admission.leave();
    }
  };
  // The Langfuse SDK's OTLP path (its `baseUrl` pointed at the collector, Basic auth).
  return new Hono<AppEnv>().post('/v1/traces', handler).post(LANGFUSE_TRACES_PATH, handler);

  async function ingest(
    c: Context<AppEnv>,
    { encoding, gzip, project }: { encoding: OtlpEncoding; gzip: boolean; project: IngestProject },
  ): Promise<Response> {
    const body = await readBody(requestStream(c), { gzip, maxBytes: maxBodyBytes });
    switch (body.status) {
      case 'too_large':
        throw tooLarge(maxBodyBytes);
      case 'bad_encoding':
        throw new CollectorError('bad_request', body.message);
      case 'aborted':
        throw new CollectorError('bad_request', 'request body was cut off');
      case 'ok':
        break;
    }
    const outcome = await exporter.exportTraces(parse(encoding, body.bytes), project);
    if (outcome.status !== 'ok') throw exportError(outcome);
    return reply(c, encoding, outcome);
  }
}

function tooLarge(maxBodyBytes: number): CollectorError {
  return new CollectorError(
    'payload_too_large',
    `request body exceeds ${maxBodyBytes} bytes (after decompression)`,
  );
}

function requestStream(c: Context<AppEnv>): Readable {
  const incoming = c.env?.incoming;
  if (incoming) return incoming;
  const body = c.req.raw.body;
  if (body === null) return Readable.from([]);
  return Readable.fromWeb(body as NodeReadableStream<Uint8Array>);
}

/** The request to export: OTLP JSON is transcoded to protobuf here, decoded by the exporter. */
function parse(encoding: OtlpEncoding, bytes: Buffer): TraceRequest {
  if (encoding === 'protobuf') return { protobuf: bytes };
  const protobuf = otlpJsonToProtobuf(bytes.toString('utf8'));
  if (isOtlpDecodeError(protobuf)) throw new CollectorError('bad_request', protobuf.error);
  return { protobuf };
}

function reply(
  c: Context<AppEnv>,
  encoding: OtlpEncoding,
  outcome: Extract<ExportOutcome, { status: 'ok' }>,
): Response {
  const response = exportResponse(outcome);
  if (encoding === 'json') {
    return c.json(toJson(ExportTraceServiceResponseSchema, response) as object);
  }
  return c.body(toBinary(ExportTraceServiceResponseSchema, response), 200, {
    'content-type': OTLP_CONTENT_TYPES.protobuf,
  });
}
