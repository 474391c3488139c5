import { describe, expect, it } from 'vitest';
import {
  dialectForPath,
  ERROR_TABLE,
  type ErrorCode,
  errorResponse,
  GatewayError,
  logLevelFor,
  statusFor,
} from './errors.ts';

describe('ERROR_TABLE', () => {
  // One row per member of the union: status, both envelopes' types, log level, retry-after.
  const expected: Record<ErrorCode, [number, string, string, string, string | null]> = {
    auth: [401, 'authentication_error', 'authentication_error', 'info', null],
    forbidden: [403, 'permission_error', 'permission_error', 'info', null],
    feature_disabled: [403, 'permission_error', 'permission_error', 'info', null],
    org_verification_required: [403, 'permission_error', 'permission_error', 'info', null],
    bad_request: [400, 'invalid_request_error', 'invalid_request_error', 'info', null],
    content_policy: [400, 'invalid_request_error', 'invalid_request_error', 'info', null],
    not_found: [404, 'invalid_request_error', 'not_found_error', 'info', null],
    model_not_found: [404, 'invalid_request_error', 'not_found_error', 'info', null],
    quota: [429, 'insufficient_quota', 'rate_limit_error', 'info', null],
    rate_limit: [429, 'rate_limit_error', 'rate_limit_error', 'info', null],
    overloaded: [503, 'server_error', 'overloaded_error', 'warn', '1'],
    upstream: [502, 'server_error', 'api_error', 'warn', null],
    unavailable: [503, 'server_error', 'api_error', 'error', '1'],
    internal: [500, 'server_error', 'api_error', 'error', null],
  };

  // SPEC §4 lists the `x-to11-error-code` values; these two situations answer with one of them.
  const WIRE_CODES: Record<string, string> = {
    not_found: 'bad_request',
    unavailable: 'overloaded',
  };
  const SPEC_CODES = [
    'auth',
    'forbidden',
    'bad_request',
    'quota',
    'rate_limit',
    'overloaded',
    'content_policy',
    'model_not_found',
    'org_verification_required',
    'upstream',
    'feature_disabled',
  ];

  it('answers only SPEC §4 codes on the wire, but for a bug', () => {
    const wire = new Set(Object.values(ERROR_TABLE).map((spec) => spec.wireCode));
    wire.delete('internal');
    expect([...wire].sort()).toEqual([...SPEC_CODES].sort());
  });

  it('has a row for every code and no other', () => {
    expect(Object.keys(ERROR_TABLE).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))(
    '%s answers its status, envelopes, log level and retry-after',
    async (code, [status, openaiType, anthropicType, level, retryAfter]) => {
      const errorCode = code as ErrorCode;
      expect(statusFor(errorCode)).toBe(status);
      expect(logLevelFor(errorCode)).toBe(level);
      const openai = errorResponse(new GatewayError(errorCode, 'why'), 'openai');
      const wire = WIRE_CODES[code] ?? code;
      expect(openai.status).toBe(status);
      expect(openai.headers.get('x-to11-error-code')).toBe(wire);
      expect(openai.headers.get('retry-after')).toBe(retryAfter);
      expect(await openai.json()).toEqual({
        error: { message: 'why', type: openaiType, param: null, code: wire },
      });
      const anthropic = errorResponse(new GatewayError(errorCode, 'why'), 'anthropic');
      expect(anthropic.status).toBe(status);
      expect(await anthropic.json()).toEqual({
        type: 'error',
        error: { type: anthropicType, message: 'why' },
      });
    },
  );

  it('logs answers without one of our codes at info', () => {
    expect(logLevelFor(undefined)).toBe('info');
    expect(logLevelFor('toString')).toBe('info');
  });
});

describe('errorResponse', () => {
  it('renders the OpenAI envelope with the error code header', async () => {
    const response = errorResponse(
      new GatewayError('model_not_found', 'no such model', { param: 'model' }),
      'openai',
    );
    expect(response.status).toBe(404);
    expect(response.headers.get('x-to11-error-code')).toBe('model_not_found');
    expect(response.headers.get('x-to11-upstream-provider')).toBeNull();
    expect(await response.json()).toEqual({
      error: {
        message: 'no such model',
        type: 'invalid_request_error',
        param: 'model',
        code: 'model_not_found',
      },
    });
  });

  it('renders the Anthropic envelope and keeps an overriding status', async () => {
    const error = new GatewayError('upstream', 'timed out', {
      status: 504,
      upstreamProvider: 'anthropic',
    });
    const response = errorResponse(error, 'anthropic');
    expect(response.status).toBe(504);
    expect(response.headers.get('x-to11-upstream-provider')).toBe('anthropic');
    expect(await response.json()).toEqual({
      type: 'error',
      error: { type: 'timeout_error', message: 'timed out' },
    });
  });
});

describe('dialectForPath', () => {
  it('answers Anthropic for the messages endpoints and OpenAI elsewhere', () => {
    expect(dialectForPath('/v1/messages')).toBe('anthropic');
    expect(dialectForPath('/v1/messages/count_tokens')).toBe('anthropic');
    expect(dialectForPath('/v1/chat/completions')).toBe('openai');
    expect(dialectForPath('/v1/responses')).toBe('openai');
  });
});
