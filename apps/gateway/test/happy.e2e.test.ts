import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import type Anthropic from '@anthropic-ai/sdk';
import { testEngines } from '@to11/store/testing';
import { generateText } from 'ai';
import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Harness,
  PROVIDER_KEY,
  sdkClients,
  secretsIn,
  spanNamed,
  startHarness,
  traceIdOf,
} from './harness.ts';
import { ANSWER } from './provider-script.ts';

describe.each(testEngines())('happy paths on %s', (engine) => {
  let h: Harness;
  let openai: OpenAI;
  let anthropic: Anthropic;
  beforeAll(async () => {
    h = await startHarness(engine);
    ({ openai, anthropic } = sdkClients(h));
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers an OpenAI chat completion and records HTTP and GenAI spans', async () => {
    const { data, response } = await openai.chat.completions
      .create({
        model: 'gpt-4o',
        messages: [
          { role: 'system', content: 'You are terse.' },
          { role: 'user', content: 'Say hello' },
        ],
        temperature: 0.2,
        top_p: 0.9,
        max_tokens: 50,
        stop: ['END'],
        seed: 7,
        frequency_penalty: 0.1,
        presence_penalty: 0.3,
        n: 2,
        user: 'body-user',
      })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe(ANSWER);
    expect(response.headers.get('x-to11-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    expect(response.headers.get('x-request-id')).toBe('req_upstream_1');
    const traceId = traceIdOf(response.headers.get('traceparent'));
    const spans = await h.spans(traceId, 2);
    expect(spans).toHaveLength(2);
    const http = spanNamed(spans, 'POST /v1/chat/completions');
    const genai = spanNamed(spans, 'chat gpt-4o');
    expect(http.kind).toBe('SERVER');
    expect(http.parentSpanId).toBeNull();
    expect(response.headers.get('traceparent')).toBe(`00-${traceId}-${http.spanId}-01`);
    expect(http.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.response.status_code': 200,
    });
    expect(genai.kind).toBe('CLIENT');
    expect(genai.parentSpanId).toBe(http.spanId);
    expect(genai.status.code).toBe('OK');
    for (const span of spans) {
      expect(span.source).toBe('gateway');
      expect(span.resource.attributes).toMatchObject({
        'project.id': h.projectId,
        'service.name': 'to11-gateway',
      });
    }
    expect(genai.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.response.id': 'chatcmpl-fake',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 3,
      'gen_ai.usage.cache_read.input_tokens': 4,
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.top_p': 0.9,
      'gen_ai.request.max_tokens': 50,
      'gen_ai.request.stop_sequences': ['END'],
      'gen_ai.request.seed': 7,
      'gen_ai.request.frequency_penalty': 0.1,
      'gen_ai.request.presence_penalty': 0.3,
      'gen_ai.request.choice.count': 2,
      'gen_ai.output.type': 'text',
      'gen_ai.user.id': 'body-user',
      'server.address': '127.0.0.1',
      'gateway.routing.layer': 'provider',
      'gateway.attempt': 1,
    });
    // 8 plain input tokens at $2.50/M + 4 cached at $1.25/M + 3 output at $10/M.
    expect(genai.attributes['gen_ai.usage.cost']).toBeCloseTo(
      (8 * 2.5 + 4 * 1.25 + 3 * 10) / 1e6,
      12,
    );
    for (const key of [
      'gen_ai.server.request.duration',
      'gen_ai.server.time_to_first_token',
      'gen_ai.server.time_per_output_token',
      'gen_ai.server.output_tokens_per_second',
    ]) {
      expect(typeof genai.attributes[key]).toBe('number');
      expect(genai.attributes[key]).toBeGreaterThan(0);
    }
    expect(JSON.parse(String(genai.attributes['gen_ai.input.messages']))).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Say hello' }] },
    ]);
    expect(JSON.parse(String(genai.attributes['gen_ai.system_instructions']))).toEqual([
      { type: 'text', content: 'You are terse.' },
    ]);
    expect(JSON.parse(String(genai.attributes['gen_ai.output.messages']))).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: ANSWER }], finish_reason: 'stop' },
    ]);
    expect(Object.values(genai.attributes)).not.toContain('');
    expect(secretsIn(h, spans)).toEqual([]);
    const upstream = h.fake.requests.at(-1);
    expect(upstream?.headers.authorization).toBe(`Bearer ${PROVIDER_KEY}`);
    expect(upstream?.headers['x-to11-authorization']).toBeUndefined();
  });

  it('writes one access log line per request without any key', async () => {
    const { response } = await openai.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    const traceId = traceIdOf(response.headers.get('traceparent'));
    await h.spans(traceId, 2);
    const lines = h.logs.filter((line) => line.includes(traceId)).map((line) => JSON.parse(line));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      status: 200,
      requestId: response.headers.get('x-to11-request-id'),
      traceId,
    });
    expect(typeof lines[0].durationMs).toBe('number');
    expect(h.logs.join('\n')).not.toContain(h.apiKey);
    expect(h.logs.join('\n')).not.toContain(PROVIDER_KEY);
  });

  it('answers Anthropic messages, translating the SDK bearer key to x-api-key', async () => {
    // top_k is a Messages API parameter the SDK's types do not list.
    const params = {
      model: 'claude-sonnet-4-6',
      max_tokens: 100,
      system: 'Be brief.',
      top_k: 40,
      stop_sequences: ['STOP'],
      messages: [{ role: 'user' as const, content: 'Say hello' }],
    };
    const { data, response } = await anthropic.messages.create(params).withResponse();
    expect(data.content[0]).toMatchObject({ type: 'text', text: ANSWER });
    const upstream = h.fake.requests.at(-1);
    expect(upstream?.path).toBe('/v1/messages');
    expect(upstream?.headers['x-api-key']).toBe(PROVIDER_KEY);
    expect(upstream?.headers.authorization).toBeUndefined();
    expect(upstream?.headers['anthropic-version']).toBeDefined();
    const spans = await h.spans(traceIdOf(response.headers.get('traceparent')), 2);
    const genai = spanNamed(spans, 'chat claude-sonnet-4-6');
    expect(spanNamed(spans, 'POST /v1/messages').spanId).toBe(genai.parentSpanId);
    expect(genai.attributes).toMatchObject({
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.response.model': 'claude-sonnet-4-6-20250101',
      'gen_ai.response.id': 'msg_fake',
      'gen_ai.response.finish_reasons': ['end_turn'],
      'gen_ai.usage.input_tokens': 17,
      'gen_ai.usage.output_tokens': 3,
      'gen_ai.usage.cache_read.input_tokens': 5,
      'gen_ai.usage.cache_creation.input_tokens': 2,
      'gen_ai.request.max_tokens': 100,
      'gen_ai.request.top_k': 40,
      'gen_ai.request.stop_sequences': ['STOP'],
    });
    expect(JSON.parse(String(genai.attributes['gen_ai.system_instructions']))).toEqual([
      { type: 'text', content: 'Be brief.' },
    ]);
    // 10 plain at $3/M, 5 cache reads at $0.30/M, 2 cache writes at $3.75/M, 3 output at $15/M.
    expect(genai.attributes['gen_ai.usage.cost']).toBeCloseTo(
      (10 * 3 + 5 * 0.3 + 2 * 3.75 + 3 * 15) / 1e6,
      12,
    );
    expect(secretsIn(h, spans)).toEqual([]);
  });

  it('answers the Responses API with instructions kept as system instructions', async () => {
    const { data, response } = await openai.responses
      .create({
        model: 'gpt-4.1',
        instructions: 'Be kind.',
        input: 'Say hello',
        max_output_tokens: 30,
      })
      .withResponse();
    expect(data.output_text).toBe(ANSWER);
    const spans = await h.spans(traceIdOf(response.headers.get('traceparent')), 2);
    const genai = spanNamed(spans, 'chat gpt-4.1');
    expect(spanNamed(spans, 'POST /v1/responses').spanId).toBe(genai.parentSpanId);
    expect(genai.attributes).toMatchObject({
      'gen_ai.response.id': 'resp_fake',
      'gen_ai.response.model': 'gpt-4.1-2025',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 9,
      'gen_ai.usage.output_tokens': 2,
      'gen_ai.request.max_tokens': 30,
    });
    expect(String(genai.attributes['gen_ai.system_instructions'])).toContain('Be kind.');
    expect(String(genai.attributes['gen_ai.input.messages'])).toContain('Say hello');
  });

  it('serves the Vercel AI SDK through createOpenAI', async () => {
    const provider = createOpenAI({
      baseURL: h.baseURL,
      apiKey: PROVIDER_KEY,
      headers: h.to11Headers,
    });
    const result = await generateText({ model: provider.chat('gpt-4o-mini'), prompt: 'Say hello' });
    expect(result.text).toBe(ANSWER);
    const traceId = traceIdOf(result.response.headers?.traceparent);
    const spans = await h.spans(traceId, 2);
    expect(spanNamed(spans, 'chat gpt-4o-mini').attributes['gen_ai.usage.output_tokens']).toBe(3);
    expect(secretsIn(h, spans)).toEqual([]);
  });

  it('serves the Vercel AI SDK through createAnthropic', async () => {
    const provider = createAnthropic({
      baseURL: h.baseURL,
      apiKey: PROVIDER_KEY,
      headers: h.to11Headers,
    });
    const result = await generateText({ model: provider('claude-haiku-4-5'), prompt: 'Say hello' });
    expect(result.text).toBe(ANSWER);
    expect(h.fake.requests.at(-1)?.headers['x-api-key']).toBe(PROVIDER_KEY);
    const spans = await h.spans(traceIdOf(result.response.headers?.traceparent), 2);
    expect(spanNamed(spans, 'chat claude-haiku-4-5').attributes['gen_ai.usage.input_tokens']).toBe(
      17,
    );
  });
});
