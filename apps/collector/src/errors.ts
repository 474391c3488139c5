/**
 * The collector's one error class and its mappings to HTTP statuses and gRPC codes.
 * HTTP bodies are `{"error":{"code","message"}}` (SPEC §3, §9), the code also in
 * `x-to11-error-code`; 401/403/400 use the gateway's vocabulary (`auth`, `forbidden`,
 * `bad_request`) so one client can read both.
 */
import { Code, ConnectError } from '@connectrpc/connect';

/** Every error code the collector answers with. */
export type CollectorErrorCode =
  | 'bad_request'
  | 'auth'
  | 'forbidden'
  | 'not_found'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'not_supported'
  | 'unavailable'
  | 'internal';

/** HTTP status of each error code. */
export function statusFor(
  code: CollectorErrorCode,
): 400 | 401 | 403 | 404 | 413 | 415 | 500 | 501 | 503 {
  switch (code) {
    case 'bad_request':
      return 400;
    case 'auth':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'payload_too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'not_supported':
      return 501;
    case 'unavailable':
      return 503;
    case 'internal':
      return 500;
  }
}

/** gRPC / Connect code of each error code. */
export function connectCodeFor(code: CollectorErrorCode): Code {
  switch (code) {
    case 'bad_request':
      return Code.InvalidArgument;
    case 'auth':
      return Code.Unauthenticated;
    case 'forbidden':
      return Code.PermissionDenied;
    case 'not_found':
      return Code.NotFound;
    case 'payload_too_large':
      return Code.ResourceExhausted;
    case 'unsupported_media_type':
    case 'not_supported':
      return Code.Unimplemented;
    case 'unavailable':
      return Code.Unavailable;
    case 'internal':
      return Code.Internal;
  }
}

/** An error the collector reports to its caller. Messages never contain secrets. */
export class CollectorError extends Error {
  override name = 'CollectorError';

  /**
   * @param code the closed error code
   * @param message safe to show to the caller
   * @param retryAfterSeconds set on retryable errors (503): becomes `Retry-After`
   */
  constructor(
    readonly code: CollectorErrorCode,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /** The JSON error body. */
  toJSON(): { error: { code: CollectorErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }

  /** The same error for gRPC / Connect callers; `retry-after` travels in the trailers. */
  toConnectError(): ConnectError {
    const metadata = new Headers();
    if (this.retryAfterSeconds !== undefined) {
      metadata.set('retry-after', String(this.retryAfterSeconds));
    }
    return new ConnectError(this.message, connectCodeFor(this.code), metadata);
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
