/**
 * Gateway errors (SPEC §4 "Errors"): one class with a closed code union, one exhaustive
 * status mapping, and renderers for the two SDK error envelopes so the caller's SDK raises its
 * own typed error (OpenAI `{"error":{message,type,param,code}}`, Anthropic
 * `{"type":"error","error":{type,message}}`).
 */

/** The `x-to11-error-code` taxonomy (reference §8.9). */
export type ErrorCode =
  | 'auth'
  | 'forbidden'
  | 'bad_request'
  | 'quota'
  | 'rate_limit'
  | 'overloaded'
  | 'content_policy'
  | 'model_not_found'
  | 'org_verification_required'
  | 'upstream'
  | 'feature_disabled';

/** Which SDK's envelope an endpoint answers errors in. */
export type ErrorDialect = 'openai' | 'anthropic';

/** The HTTP status of a gateway-made error. */
export function statusFor(code: ErrorCode): number {
  switch (code) {
    case 'auth':
      return 401;
    case 'forbidden':
    case 'feature_disabled':
    case 'org_verification_required':
      return 403;
    case 'bad_request':
    case 'content_policy':
      return 400;
    case 'model_not_found':
      return 404;
    case 'quota':
    case 'rate_limit':
      return 429;
    case 'overloaded':
      return 503;
    case 'upstream':
      return 502;
  }
}

/** An error the gateway answers itself, in the caller's envelope. */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly param: string | null;
  /** Set when an upstream answered (x-to11-upstream-provider). */
  readonly upstreamProvider: string | null;

  /**
   * `status` overrides {@link statusFor} where the situation demands another code (an upstream
   * timeout is 504, a 5xx from the upstream keeps its status).
   */
  constructor(
    code: ErrorCode,
    message: string,
    options: { status?: number; param?: string; upstreamProvider?: string } = {},
  ) {
    super(message);
    this.code = code;
    this.status = options.status ?? statusFor(code);
    this.param = options.param ?? null;
    this.upstreamProvider = options.upstreamProvider ?? null;
  }
}

function openaiType(code: ErrorCode, status: number): string {
  switch (code) {
    case 'auth':
      return 'authentication_error';
    case 'forbidden':
    case 'feature_disabled':
    case 'org_verification_required':
      return 'permission_error';
    case 'bad_request':
    case 'content_policy':
    case 'model_not_found':
      return 'invalid_request_error';
    case 'quota':
      return 'insufficient_quota';
    case 'rate_limit':
      return 'rate_limit_error';
    case 'overloaded':
    case 'upstream':
      return status === 504 ? 'timeout' : 'server_error';
  }
}

function anthropicType(code: ErrorCode, status: number): string {
  switch (code) {
    case 'auth':
      return 'authentication_error';
    case 'forbidden':
    case 'feature_disabled':
    case 'org_verification_required':
      return 'permission_error';
    case 'bad_request':
    case 'content_policy':
      return 'invalid_request_error';
    case 'model_not_found':
      return 'not_found_error';
    case 'quota':
    case 'rate_limit':
      return 'rate_limit_error';
    case 'overloaded':
      return 'overloaded_error';
    case 'upstream':
      return status === 504 ? 'timeout_error' : 'api_error';
  }
}

/** The JSON error body of the caller's SDK. */
export function errorBody(
  dialect: ErrorDialect,
  code: ErrorCode,
  message: string,
  status: number,
  param: string | null = null,
): unknown {
  if (dialect === 'anthropic') {
    return { type: 'error', error: { type: anthropicType(code, status), message } };
  }
  return { error: { message, type: openaiType(code, status), param, code } };
}

/** Renders a {@link GatewayError} as a JSON response with `x-to11-error-code`. */
export function errorResponse(error: GatewayError, dialect: ErrorDialect): Response {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-to11-error-code': error.code,
  };
  if (error.upstreamProvider) headers['x-to11-upstream-provider'] = error.upstreamProvider;
  const body = errorBody(dialect, error.code, error.message, error.status, error.param);
  return new Response(JSON.stringify(body), { status: error.status, headers });
}

/** The error dialect of a request path: Anthropic for `/v1/messages*`, OpenAI otherwise. */
export function dialectForPath(path: string): ErrorDialect {
  return path.startsWith('/v1/messages') ? 'anthropic' : 'openai';
}
