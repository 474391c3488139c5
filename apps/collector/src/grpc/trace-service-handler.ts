import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { createContextValues } from '@connectrpc/connect';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import type { AuthFailureLimiter } from '@to11/store';
import type { Admission } from '../admission.ts';
import { kClientAddress } from '../auth-failures.ts';
import { errorAnswer, overloadedError } from '../errors.ts';
import type { TraceExporter } from '../export-traces.ts';
import type { IngestTokens } from '../ingest-token.ts';
import { authInterceptor } from './auth-interceptor.ts';
import { rawRoutes, routes } from './routes.ts';

/** A Node request handler for HTTP/1.1 and HTTP/2 alike. */
export type NodeHandler = (
  req: IncomingMessage | Http2ServerRequest,
  res: ServerResponse | Http2ServerResponse,
) => void;

/** What the TraceService handler needs. */
export interface TraceServiceHandlerOptions {
  exporter: TraceExporter;
  admission: Admission;
  tokens: IngestTokens;
  /** Largest message after decompression (RESOURCE_EXHAUSTED beyond). */
  readMaxBytes: number;
  /** Failed authentication per client address; absent, nothing is limited. */
  authFailures?: AuthFailureLimiter;
}

/**
 * The collector's connect handler for TraceService/Export over gRPC, gRPC-web and Connect
 * (SPEC §6), with the ingest-token interceptor. Binary requests go to the raw-request twin of the
 * service (fast span decoding); JSON requests to the generated service.
 */
export function createTraceServiceHandler(options: TraceServiceHandlerOptions): NodeHandler {
  const shared = {
    interceptors: [authInterceptor(options.tokens, options.authFailures)],
    readMaxBytes: options.readMaxBytes,
    contextValues: (req: IncomingMessage | Http2ServerRequest) =>
      createContextValues().set(kClientAddress, req.socket?.remoteAddress ?? 'unknown'),
  };
  const binary = connectNodeAdapter({ ...shared, routes: rawRoutes(options.exporter) });
  const json = connectNodeAdapter({ ...shared, routes: routes(options.exporter) });
  const { admission } = options;
  return function traceServiceHandler(req, res) {
    const contentType = req.headers['content-type'] ?? '';
    if (!admission.tryEnter()) {
      refuseOverloaded(contentType, res);
      return;
    }
    res.once('close', () => admission.leave());
    if (contentType.includes('json')) json(req, res);
    else binary(req, res);
  };
}

/**
 * Answers UNAVAILABLE without reading the request: a trailers-only response for gRPC and
 * gRPC-web, the Connect protocol's JSON error (HTTP 503) otherwise.
 */
function refuseOverloaded(contentType: string, res: ServerResponse | Http2ServerResponse): void {
  const error = overloadedError();
  const answer = errorAnswer(error);
  const retryAfter = String(error.retryAfterSeconds);
  if (contentType.startsWith('application/grpc')) {
    res.writeHead(200, {
      'content-type': contentType,
      'grpc-status': String(answer.grpcCode),
      'grpc-message': encodeURIComponent(error.message),
      'retry-after': retryAfter,
    });
    res.end();
    return;
  }
  // The Connect protocol's error body, whose code is the gRPC code's name.
  res.writeHead(answer.status, { 'content-type': 'application/json', 'retry-after': retryAfter });
  res.end(JSON.stringify({ code: error.code, message: error.message }));
}
