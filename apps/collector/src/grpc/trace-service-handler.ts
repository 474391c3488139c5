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
import {
  authenticateCall,
  authInterceptor,
  type IngestAuthResult,
  kIngestAuth,
} from './auth-interceptor.ts';
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
  // Requests authenticated from their headers before admission, for the interceptor.
  const authenticated = new WeakMap<IncomingMessage | Http2ServerRequest, IngestAuthResult>();
  const shared = {
    interceptors: [authInterceptor(options.tokens, options.authFailures)],
    readMaxBytes: options.readMaxBytes,
    contextValues: (req: IncomingMessage | Http2ServerRequest) =>
      createContextValues()
        .set(kClientAddress, req.socket?.remoteAddress ?? 'unknown')
        .set(kIngestAuth, authenticated.get(req)),
  };
  const binary = connectNodeAdapter({ ...shared, routes: rawRoutes(options.exporter) });
  const json = connectNodeAdapter({ ...shared, routes: routes(options.exporter) });
  const { admission } = options;
  const route: NodeHandler = (req, res) => {
    if ((req.headers['content-type'] ?? '').includes('json')) json(req, res);
    else binary(req, res);
  };
  return function traceServiceHandler(req, res) {
    // The credential is checked from the headers before a slot is taken, as OTLP/HTTP does: a
    // client without one must not hold a slot while it sends (or dribbles) its body. A request
    // that fails here (the failure counted) goes on without a slot, and the interceptor answers it.
    const address = req.socket?.remoteAddress ?? 'unknown';
    void authenticateCall(options.tokens, options.authFailures, address, (name) =>
      headerOf(req, name),
    ).then((result) => {
      authenticated.set(req, result);
      if ('error' in result) {
        route(req, res);
        return;
      }
      if (!admission.tryEnter()) {
        refuseOverloaded(req.headers['content-type'] ?? '', res);
        return;
      }
      leaveOnAnswer(res, () => admission.leave());
      route(req, res);
    });
  };
}

function headerOf(req: IncomingMessage | Http2ServerRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Calls `leave` once, when the answer is handed over (`end()`) or the stream closed before. Not on
 * 'finish' or 'close' alone: on HTTP/2 a client that never reads its answer (a flow-control
 * window of 0) holds back both until the stream idle timeout, and would keep the slot, and
 * other exports out, all that time.
 */
function leaveOnAnswer(res: ServerResponse | Http2ServerResponse, leave: () => void): void {
  let left = false;
  const once = () => {
    if (left) return;
    left = true;
    leave();
  };
  res.once('close', once);
  const response = res as unknown as { end: (...args: unknown[]) => unknown };
  const end = response.end;
  response.end = function endAndLeave(this: unknown, ...args: unknown[]) {
    once();
    return end.apply(this, args);
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
