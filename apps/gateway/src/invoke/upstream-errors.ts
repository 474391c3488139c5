/**
 * Upstream error answers (SPEC §4 "Errors", reference §8.9): classification into the
 * `x-to11-error-code` taxonomy, and the response the caller gets. Same-format errors pass
 * through verbatim; 5xx bodies become `provider returned status N` in the caller's envelope;
 * cross-format errors are rewritten into the caller's envelope with the upstream's message.
 */
import { ERROR_TABLE, type ErrorCode, type ErrorDialect, errorBody } from '../errors.ts';
import type { UpstreamHeaders } from '../node-io/upstream-call.ts';
import { asObject, asString } from '../wire/json-fields.ts';
import { responseHeaders } from './upstream-headers.ts';

function parsedError(text: string): { message?: string; type?: string; code?: string } {
  try {
    const body = asObject(JSON.parse(text));
    const error = asObject(body?.error) ?? body;
    return {
      message: asString(error?.message),
      type: asString(error?.type),
      code: asString(error?.code),
    };
  } catch {
    return {};
  }
}

/** The to11 error code of an upstream error status and body. */
export function classifyUpstream(status: number, text: string): ErrorCode {
  const { type = '', code = '', message = '' } = parsedError(text);
  const hint = `${type} ${code} ${message}`.toLowerCase();
  if (status === 401) return 'auth';
  if (status === 403) return hint.includes('verif') ? 'org_verification_required' : 'forbidden';
  if (status === 404) return 'model_not_found';
  if (status === 429)
    return hint.includes('quota') || hint.includes('billing') ? 'quota' : 'rate_limit';
  if (status === 529) return 'overloaded';
  if (status === 503 && hint.includes('overload')) return 'overloaded';
  if (status >= 500) return 'upstream';
  if (
    hint.includes('content_policy') ||
    hint.includes('content_filter') ||
    hint.includes('safety')
  ) {
    return 'content_policy';
  }
  return 'bad_request';
}

/** Milliseconds the upstream asked to wait (`retry-after-ms`, `retry-after`), if any. */
export function retryAfterMs(headers: UpstreamHeaders): number | undefined {
  const ms = Number(headers['retry-after-ms']);
  if (Number.isFinite(ms) && ms > 0) return ms;
  const header = headers['retry-after'];
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** An upstream error as the caller sees it. */
export function upstreamErrorResponse(options: {
  status: number;
  text: string;
  headers: UpstreamHeaders;
  code: ErrorCode;
  providerId: string;
  dialect: ErrorDialect;
  crossFormat: boolean;
}): Response {
  const { status, code, dialect } = options;
  const headers = responseHeaders(options.headers);
  headers['x-to11-error-code'] = ERROR_TABLE[code].wireCode;
  headers['x-to11-upstream-provider'] = options.providerId;
  let body = options.text;
  if (status >= 500 || options.crossFormat) {
    const message =
      status >= 500
        ? `provider returned status ${status}`
        : (parsedError(options.text).message ?? `provider returned status ${status}`);
    body = JSON.stringify(errorBody(dialect, code, message, status));
    headers['content-type'] = 'application/json';
  }
  return new Response(body, { status, headers });
}
