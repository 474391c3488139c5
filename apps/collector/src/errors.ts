/**
 * The collector's one error class and the one table that maps it to what every protocol answers
 * (SPEC §3, §6, §9): HTTP status, gRPC / Connect code, JSON body `{"error":{"code","message"}}`,
 * `x-to11-error-code` and `Retry-After` headers, and the level it is logged at. 401/403/400 use
 * the gateway's vocabulary (`auth`, `forbidden`, `bad_request`) so one client can read both.
 */
import { Code, ConnectError } from '@connectrpc/connect';
import type { ExportOutcome } from './export-traces.ts';

/** Every error code the collector answers with. */
export type CollectorErrorCode =
  | 'bad_request'
  | 'auth'
  | 'forbidden'
  | 'not_found'
  | 'payload_too_large'
  | 'rate_limit'
  | 'unsupported_media_type'
  | 'not_supported'
  | 'unavailable'
  | 'internal';

/** HTTP statuses the collector answers errors with. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 413 | 415 | 429 | 500 | 501 | 503;

/** Pino levels an answered error is logged at. */
export type ErrorLogLevel = 'debug' | 'warn' | 'error';

/** What one error code answers: the caller's mistakes at debug, the collector's own at warn+. */
const ANSWERS: Record<CollectorErrorCode, { status: ErrorStatus; grpc: Code; log: ErrorLogLevel }> =
  {
    bad_request: { status: 400, grpc: Code.InvalidArgument, log: 'debug' },
    auth: { status: 401, grpc: Code.Unauthenticated, log: 'debug' },
    forbidden: { status: 403, grpc: Code.PermissionDenied, log: 'debug' },
    not_found: { status: 404, grpc: Code.NotFound, log: 'debug' },
    payload_too_large: { status: 413, grpc: Code.ResourceExhausted, log: 'debug' },
    rate_limit: { status: 429, grpc: Code.ResourceExhausted, log: 'debug' },
    unsupported_media_type: { status: 415, grpc: Code.Unimplemented, log: 'debug' },
    not_supported: { status: 501, grpc: Code.Unimplemented, log: 'debug' },
    unavailable: { status: 503, grpc: Code.Unavailable, log: 'warn' },
    internal: { status: 500, grpc: Code.Internal, log: 'error' },
  };

/** The JSON error body of every HTTP error answer. */
export interface ErrorBody {
  error: { code: CollectorErrorCode; message: string };
}

/** Everything an error answers with, on every protocol. */
export interface ErrorAnswer {
  status: ErrorStatus;
  grpcCode: Code;
  body: ErrorBody;
  /** `x-to11-error-code`, and `retry-after` on retryable errors. */
  headers: Record<string, string>;
  logLevel: ErrorLogLevel;
}

/** An error the collector reports to its caller. Messages never contain secrets. */
export class CollectorError extends Error {
  override name = 'CollectorError';

  /**
   * @param code the closed error code
   * @param message safe to show to the caller
   * @param retryAfterSeconds set on retryable errors (503, 429): becomes `Retry-After`
   */
  constructor(
    readonly code: CollectorErrorCode,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /** The JSON error body. */
  toJSON(): ErrorBody {
    return { error: { code: this.code, message: this.message } };
  }

  /** The same error for gRPC / Connect callers; `retry-after` travels in the trailers. */
  toConnectError(): ConnectError {
    const metadata = new Headers();
    if (this.retryAfterSeconds !== undefined) {
      metadata.set('retry-after', String(this.retryAfterSeconds));
    }
    return new ConnectError(this.message, ANSWERS[this.code].grpc, metadata);
  }
}

/** The one mapping of an error to its HTTP status, gRPC code, body, headers and log level. */
export function errorAnswer(error: CollectorError): ErrorAnswer {
  const { status, grpc, log } = ANSWERS[error.code];
  const headers: Record<string, string> = { 'x-to11-error-code': error.code };
  if (error.retryAfterSeconds !== undefined) {
    headers['retry-after'] = String(error.retryAfterSeconds);
  }
  return { status, grpcCode: grpc, body: error.toJSON(), headers, logLevel: log };
}

/** Seconds a client should wait before retrying after a 503 / UNAVAILABLE. */
export const RETRY_AFTER_SECONDS = 1;

/** The answer to an export refused because the collector is at its limit of concurrent exports. */
export function overloadedError(): CollectorError {
  return new CollectorError(
    'unavailable',
    'the collector is at its limit of concurrent exports, retry later',
    RETRY_AFTER_SECONDS,
  );
}

/** An export that did not succeed. */
export type FailedExport = Exclude<ExportOutcome, { status: 'ok' }>;

/**
 * The error a failed export answers with, on OTLP/HTTP and gRPC alike: an undecodable request
 * or a batch the store refused for its content is the caller's (400 / INVALID_ARGUMENT, not
 * retried); anything else is retryable (503 / UNAVAILABLE with `Retry-After`).
 */
export function exportError(outcome: FailedExport): CollectorError {
  switch (outcome.status) {
    case 'invalid':
    case 'rejected':
      return new CollectorError('bad_request', outcome.message);
    case 'unavailable':
      return new CollectorError('unavailable', outcome.message, outcome.retryAfterSeconds);
  }
}

/**
 * The message of an unexpected error, for logs: without the query parameters drizzle appends
 * (`params: …`), so no value sent by a client ever reaches a log line.
 */
export function logSafeMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\nparams:')[0] ?? message;
}
