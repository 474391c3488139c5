import Anthropic from '@anthropic-ai/sdk';
import { testEngines } from '@to11/store/testing';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sendJson } from './fake-provider.ts';
import {
  type Harness,
  PROVIDER_KEY,
  sdkClients,
  spanNamed,
  startHarness,
  traceIdOf,
} from './harness.ts';
import { defaultProvider } from './provider-script.ts';

describe.each(testEngines())('errors on %s', (engine) => {
  let h: Harness;
  let openai: OpenAI;
  let anthropic: Anthropic;
  beforeAll(async () => {
    h = await startHarness(engine);
    ({ openai, anthropic } = sdkClients(h, { maxRetries: 0 }));
  });
  afterEach(() => {
    h.fake.handler = defaultProvider;
  });
  afterAll(async () => {
    await h.close();
  });

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${h.gateway.url}${path}`, {
      method: 'POST',
      headers: { ...h.to11Headers, 'content-type': 'application/json', ...headers },
      body,
    });

  it('answers an unknown model with 404 model_not_found in each SDK envelope', async () => {
    const before = h.fake.requests.length;
    const openaiError = await openai.chat.completions
      .create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] })
      .catch((error: unknown) => error);
    expect(openaiError).toBeInstanceOf(OpenAI.NotFoundError);
    const notFound = openaiError as InstanceType<typeof OpenAI.NotFoundError>;
    expect(notFound.code).toBe('model_not_found');
    expect(notFound.headers?.get('x-to11-error-code')).toBe('model_not_found');
    expect(notFound.headers?.get('traceparent')).toMatch(/^00-/);
    expect(notFound.headers?.get('x-to11-request-id')).toMatch(/^req_/);
    expect(notFound.headers?.get('x-to11-upstream-provider')).toBeNull();
    const anthropicError = await anthropic.messages
      .create({ model: 'nope-1', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
      .catch((error: unknown) => error);
    expect(anthropicError).toBeInstanceOf(Anthropic.NotFoundError);
    expect((anthropicError as InstanceType<typeof Anthropic.NotFoundError>).error).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error' },
    });
    expect(h.fake.requests.length).toBe(before);
  });

  it('rejects malformed JSON and a missing model with 400 bad_request', async () => {
    const malformed = await post('/v1/chat/completions', '{"model": "gpt-4o", ');
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('x-to11-error-code')).toBe('bad_request');
    expect(malformed.headers.get('traceparent')).toMatch(/^00-/);
    expect(await malformed.json()).toMatchObject({
      error: { type: 'invalid_request_error', code: 'bad_request' },
    });
    const missing = await post('/v1/messages', '{"max_tokens": 5, "messages": []}');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error' },
    });
    const healthy = await fetch(`${h.gateway.url}/health`);
    expect(healthy.status).toBe(200);
  });

  it('passes an upstream 429 through verbatim with its retry-after', async () => {
    const body = {
      error: {
        message: 'Rate limit reached for gpt-4o',
        type: 'requests',
        param: null,
        code: 'rate_limit_exceeded',
      },
    };
    h.fake.handler = (_request, response) => sendJson(response, 429, body, { 'retry-after': '2' });
    const response = await post(
      '/v1/chat/completions',
      JSON.stringify({ model: 'gpt-4o', messages: [] }),
      {
        authorization: `Bearer ${PROVIDER_KEY}`,
      },
    );
    expect(response.status).toBe(429);
    expect(response.headers.get('x-to11-error-code')).toBe('rate_limit');
    expect(response.headers.get('x-to11-upstream-provider')).toBe('openai');
    expect(response.headers.get('retry-after')).toBe('2');
    expect(await response.json()).toEqual(body);
    const spans = await h.spans(traceIdOf(response.headers.get('traceparent')), 2);
    const genai = spanNamed(spans, 'chat gpt-4o');
    expect(genai.status.code).toBe('ERROR');
    expect(genai.attributes['error.type']).toBe('rate_limit');
    expect(
      h.fake.requests.filter((request) => request.path === '/v1/chat/completions').length,
    ).toBeGreaterThan(0);
  });

  it('classifies quota errors and passes Anthropic 4xx bodies through in their envelope', async () => {
    h.fake.handler = (_request, response) =>
      sendJson(response, 429, {
        error: {
          message: 'You exceeded your current quota',
          type: 'insufficient_quota',
          code: 'insufficient_quota',
        },
      });
    const quota = await post(
      '/v1/chat/completions',
      JSON.stringify({ model: 'gpt-4o', messages: [] }),
    );
    expect(quota.headers.get('x-to11-error-code')).toBe('quota');
    const anthropicBody = {
      type: 'error',
      error: { type: 'invalid_request_error', message: 'max_tokens: too large' },
    };
    h.fake.handler = (_request, response) => sendJson(response, 400, anthropicBody);
    const error = await anthropic.messages
      .create({
        model: 'claude-sonnet-4-6',
        max_tokens: 5,
        messages: [{ role: 'user', content: 'x' }],
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as InstanceType<typeof Anthropic.BadRequestError>).error).toEqual(anthropicBody);
    expect(
      (error as InstanceType<typeof Anthropic.BadRequestError>).headers?.get(
        'x-to11-upstream-provider',
      ),
    ).toBe('anthropic');
  });

  it('redacts upstream 5xx bodies to "provider returned status N"', async () => {
    h.fake.handler = (_request, response) =>
      sendJson(response, 500, { error: { message: 'db password hunter2 leaked in stack trace' } });
    const error = await openai.chat.completions
      .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    const apiError = error as InstanceType<typeof OpenAI.InternalServerError>;
    expect(apiError.status).toBe(500);
    expect(apiError.message).toContain('provider returned status 500');
    expect(JSON.stringify(apiError.error)).not.toContain('hunter2');
    expect(apiError.headers?.get('x-to11-error-code')).toBe('upstream');
    expect(apiError.headers?.get('x-to11-upstream-provider')).toBe('openai');

    h.fake.handler = (_request, response) =>
      sendJson(response, 529, {
        type: 'error',
        error: { type: 'overloaded_error', message: 'Overloaded on node-7' },
      });
    const overloaded = await anthropic.messages
      .create({
        model: 'claude-sonnet-4-6',
        max_tokens: 5,
        messages: [{ role: 'user', content: 'x' }],
      })
      .catch((caught: unknown) => caught);
    const anthropicError = overloaded as InstanceType<typeof Anthropic.APIError>;
    expect(anthropicError.status).toBe(529);
    expect(anthropicError.error).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'provider returned status 529' },
    });
    expect(anthropicError.headers?.get('x-to11-error-code')).toBe('overloaded');
  });

  it('answers 504 upstream when the provider does not answer in time', async () => {
    const slow = await h.startGateway({ TO11_UPSTREAM_TIMEOUT_MS: '300' });
    h.fake.handler = async (request, response) => {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      defaultProvider(request, response);
    };
    const started = Date.now();
    const response = await fetch(`${slow.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...h.to11Headers, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(response.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(1_400);
    expect(response.headers.get('x-to11-error-code')).toBe('upstream');
    const spans = await h.spans(traceIdOf(response.headers.get('traceparent')), 2);
    const genai = spanNamed(spans, 'chat gpt-4o');
    expect(genai.attributes['error.type']).toBe('timeout');
    expect(genai.status.code).toBe('ERROR');
  });

  it('answers 502 upstream when the provider cannot be reached', async () => {
    const unreachable = await h.startGateway({ TO11_OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' });
    const response = await fetch(`${unreachable.url}/v1/embeddings`, {
      method: 'POST',
      headers: { ...h.to11Headers, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'text-embedding-3-small', input: 'x' }),
    });
    expect(response.status).toBe(502);
    expect(response.headers.get('x-to11-error-code')).toBe('upstream');
    expect(response.headers.get('x-to11-upstream-provider')).toBeNull();
    const spans = await h.spans(traceIdOf(response.headers.get('traceparent')), 2);
    expect(spanNamed(spans, 'embeddings text-embedding-3-small').attributes['error.type']).toBe(
      'upstream',
    );
  });
});
