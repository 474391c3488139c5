import { describe, expect, it } from 'vitest';
import {
  dialectForPath,
  type ErrorCode,
  errorResponse,
  GatewayError,
  statusFor,
} from './errors.ts';

describe('statusFor', () => {
  it('maps every error code to its HTTP status', () => {
    const expected: Record<ErrorCode, number> = {
      auth: 401,
      forbidden: 403,
      bad_request: 400,
      quota: 429,
      rate_limit: 429,
      overloaded: 503,
      content_policy: 400,
      model_not_found: 404,
      org_verification_required: 403,
      upstream: 502,
      feature_disabled: 403,
    };
    for (const [code, status] of Object.entries(expected)) {
      expect(statusFor(code as ErrorCode)).toBe(status);
    }
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
