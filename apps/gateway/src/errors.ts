/**
 * Gateway errors (SPEC §4 "Errors"): one class with a closed code union and one table from each
 * code to its HTTP status, its type in both SDK envelopes and the level it is logged at. The
 * envelopes are the ones the caller's SDK parses into its own typed error (OpenAI
 * `{"error":{message,type,param,code}}`, Anthropic `{"type":"error","error":{type,message}}`).
 *
 * To change what a situation answers, change its row in {@link ERROR_TABLE}; nothing else
 * decides a status or a code.
 */

/**
 * The `x-to11-error-code` values SPEC §4 lists (reference §8.9), plus `internal` for a bug in the
 * gateway (never an answer a caller can provoke on purpose).
 */
export type WireErrorCode =
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
  | 'feature_disabled'
  | 'internal';

/**
 * The situations the gateway answers: the wire codes, plus two faults that are nobody's but the
 * gateway's, with their own status and envelope type: `not_found` (no such endpoint: 404 with
 * the wire code `bad_request`) and `unavailable` (the store behind keys, projects or limits is
 * down, or the gateway is shutting down: 503 with the wire code `overloaded`, retry). None of
 * them blames the provider.
 */
export type ErrorCode = WireErrorCode | 'not_found' | 'unavailable';

/** Which SDK's envelope an endpoint answers errors in. */
export type ErrorDialect = 'openai' | 'anthropic';

/** The pino level a request that ended in an error is logged at. */
export type ErrorLogLevel = 'info' | 'warn' | 'error';

/** What one error code answers. */
export interface ErrorCodeSpec {
  status: number;
  openaiType: string;
  anthropicType: string;
  logLevel: ErrorLogLevel;
  /** The `x-to11-error-code` (and the OpenAI envelope's `code`) it answers with. */
  wireCode: WireErrorCode;
  /** Seconds of `retry-after` on an answer the gateway makes itself. */
  retryAfterSeconds?: number;
}

function row(
  status: number,
  openaiType: string,
  anthropicType: string,
  logLevel: ErrorLogLevel,
  wireCode: WireErrorCode,
  retryAfterSeconds?: number,
): ErrorCodeSpec {
  return {
    status,
    openaiType,
    anthropicType,
    logLevel,
    wireCode,
    ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
  };
}

/**
 * Every code's answer. Caller mistakes log at `info` (they are the caller's to fix), the
 * provider's faults at `warn`, the gateway's own at `error`.
 */
export const ERROR_TABLE: Readonly<Record<ErrorCode, ErrorCodeSpec>> = {
  auth: row(401, 'authentication_error', 'authentication_error', 'info', 'auth'),
  forbidden: row(403, 'permission_error', 'permission_error', 'info', 'forbidden'),
  feature_disabled: row(403, 'permission_error', 'permission_error', 'info', 'feature_disabled'),
  org_verification_required: row(
    403,
    'permission_error',
    'permission_error',
    'info',
    'org_verification_required',
  ),
  bad_request: row(400, 'invalid_request_error', 'invalid_request_error', 'info', 'bad_request'),
  content_policy: row(
    400,
    'invalid_request_error',
    'invalid_request_error',
    'info',
    'content_policy',
  ),
  not_found: row(404, 'invalid_request_error', 'not_found_error', 'info', 'bad_request'),
  model_not_found: row(404, 'invalid_request_error', 'not_found_error', 'info', 'model_not_found'),
  quota: row(429, 'insufficient_quota', 'rate_limit_error', 'info', 'quota'),
  rate_limit: row(429, 'rate_limit_error', 'rate_limit_error', 'info', 'rate_limit'),
  overloaded: row(503, 'server_error', 'overloaded_error', 'warn', 'overloaded', 1),
  upstream: row(502, 'server_error', 'api_error', 'warn', 'upstream'),
  unavailable: row(503, 'server_error', 'api_error', 'error', 'overloaded', 1),
  internal: row(500, 'server_error', 'api_error', 'error', 'internal'),
};

/** The HTTP status of a gateway-made error. */
export function statusFor(code: ErrorCode): number {
  return ERROR_TABLE[code].status;
}

/** The log level of a request answered with `code` (`info` when it is not one of ours). */
export function logLevelFor(code: string | undefined): ErrorLogLevel {
  return code !== undefined && Object.hasOwn(ERROR_TABLE, code)
    ? ERROR_TABLE[code as ErrorCode].logLevel
    : 'info';
}

/** An error the gateway answers itself, in the caller's envelope. */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly param: string | null;
  /** Set when an upstream answered (x-to11-upstream-provider). */
  readonly upstreamProvider: string | null;
  /** Extra headers of the answer (`x-to11-limit` and `retry-after` of a limit refusal). */
  readonly headers: Readonly<Record<string, string>>;

  /**
   * `status` overrides {@link statusFor} where the situation demands another code (an upstream
   * timeout is 504, a 5xx from the upstream keeps its status).
   */
  constructor(
    code: ErrorCode,
    message: string,
    options: {
      status?: number;
      param?: string;
      upstreamProvider?: string;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message);
    this.code = code;
    this.status = options.status ?? statusFor(code);
    this.param = options.param ?? null;
    this.upstreamProvider = options.upstreamProvider ?? null;
    this.headers = options.headers ?? {};
  }
}

/** The envelope's error type: a timeout (504) reads as one in both SDKs. */
function envelopeType(dialect: ErrorDialect, code: ErrorCode, status: number): string {
  if (status === 504 && code === 'upstream') {
    return dialect === 'anthropic' ? 'timeout_error' : 'timeout';
  }
  if (status === 504 && code === 'overloaded' && dialect === 'openai') return 'timeout';
  const spec = ERROR_TABLE[code];
  return dialect === 'anthropic' ? spec.anthropicType : spec.openaiType;
}

/** The JSON error body of the caller's SDK. */
export function errorBody(
  dialect: ErrorDialect,
  code: ErrorCode,
  message: string,
  status: number,
  param: string | null = null,
): unknown {
  const type = envelopeType(dialect, code, status);
  if (dialect === 'anthropic') return { type: 'error', error: { type, message } };
  return { error: { message, type, param, code: ERROR_TABLE[code].wireCode } };
}

/** Renders a {@link GatewayError} as a JSON response with `x-to11-error-code`. */
export function errorResponse(error: GatewayError, dialect: ErrorDialect): Response {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-to11-error-code': ERROR_TABLE[error.code].wireCode,
  };
  if (error.upstreamProvider) headers['x-to11-upstream-provider'] = error.upstreamProvider;
  const retryAfter = ERROR_TABLE[error.code].retryAfterSeconds;
  if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
  Object.assign(headers, error.headers);
  const body = errorBody(dialect, error.code, error.message, error.status, error.param);
  return new Response(JSON.stringify(body), { status: error.status, headers });
}

/** The error dialect of a request path: Anthropic for `/v1/messages*`, OpenAI otherwise. */
export function dialectForPath(path: string): ErrorDialect {
  return path.startsWith('/v1/messages') ? 'anthropic' : 'openai';
}
