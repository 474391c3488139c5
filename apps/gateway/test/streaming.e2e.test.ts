import { createOpenAI } from '@ai-sdk/openai';
import type Anthropic from '@anthropic-ai/sdk';
import { testEngines } from '@to11/store/testing';
import type { SpanRecord } from '@to11/trace-core';
import { streamText } from 'ai';
import type OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sseEvent, startSse } from './fake-provider.ts';
import {
  type Harness,
  PROVIDER_KEY,
  sdkClients,
  secretsIn,
  spanNamed,
  startHarness,
  traceIdOf,
} from './harness.ts';
import { ANSWER, defaultProvider } from './provider-script.ts';

/** Attribute keys that depend on timing or content only, not on streaming. */
function keysOf(span: SpanRecord): string[] {
  return Object.keys(span.attributes).sort();
}

describe.each(testEngines())('streaming on %s', (engine) => {
  let h: Harness;
  let openai: OpenAI;
  let anthropic: Anthropic;
  beforeAll(async () => {
    h = await startHarness(engine);
    ({ openai, anthropic } = sdkClients(h));
  });
  afterEach(() => {
    h.fake.handler = defaultProvider;
  });
  afterAll(async () => {
    await h.close();
  });

  it('streams OpenAI chat, strips the usage chunk it added, and records the same attributes as a plain call', async () => {
    const params = {
      model: 'gpt-4o',
      messages: [{ role: 'user' as const, content: 'Say hello' }],
      temperature: 0.3,
    };
    const { data: stream, response } = await openai.chat.completions
      .create({ ...params, stream: true })
      .withResponse();
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(response.headers.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(response.headers.get('x-to11-request-id')).toMatch(/^req_/);
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(ANSWER);
    expect(chunks.every((chunk) => chunk.choices.length > 0)).toBe(true);
    expect(h.fake.requests.at(-1)?.json?.stream_options).toEqual({ include_usage: true });
    const streamed = spanNamed(
      await h.spans(traceIdOf(response.headers.get('traceparent')), 2),
      'chat gpt-4o',
    );
    expect(streamed.attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 3,
      'gen_ai.usage.cache_read.input_tokens': 4,
      'gen_ai.response.id': 'chatcmpl-fake',
      'gen_ai.response.finish_reasons': ['stop'],
    });
    expect(JSON.parse(String(streamed.attributes['gen_ai.output.messages']))).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: ANSWER }], finish_reason: 'stop' },
    ]);
    const plain = await openai.chat.completions.create(params).withResponse();
    const plainSpan = spanNamed(
      await h.spans(traceIdOf(plain.response.headers.get('traceparent')), 2),
      'chat gpt-4o',
    );
    expect(keysOf(streamed)).toEqual(keysOf(plainSpan));
    for (const key of [
      'gen_ai.usage.cost',
      'gen_ai.output.messages',
      'gen_ai.input.messages',
      'gen_ai.response.model',
    ]) {
      expect(streamed.attributes[key]).toEqual(plainSpan.attributes[key]);
    }
  });

  it('keeps the usage chunk when the caller asked for it', async () => {
    const stream = await openai.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(3);
  });

  it('forwards chunks before the upstream has finished', async () => {
    let firstSeen: () => void = () => undefined;
    const seen = new Promise<void>((resolve) => {
      firstSeen = resolve;
    });
    h.fake.handler = async (_request, response) => {
      const base = { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o' };
      startSse(response);
      sseEvent(response, {
        ...base,
        choices: [{ index: 0, delta: { content: 'first' }, finish_reason: null }],
      });
      await seen;
      sseEvent(response, {
        ...base,
        choices: [{ index: 0, delta: { content: ' second' }, finish_reason: 'stop' }],
      });
      sseEvent(response, {
        ...base,
        choices: [],
        usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
      });
      sseEvent(response, '[DONE]');
      response.end();
    };
    const stream = await openai.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    const pieces: string[] = [];
    for await (const chunk of stream) {
      pieces.push(chunk.choices[0]?.delta.content ?? '');
      if (pieces.length === 1) firstSeen();
    }
    expect(pieces.join('')).toBe('first second');
  });

  it('measures time to first token from the first content delta', async () => {
    h.fake.handler = async (_request, response) => {
      const base = { id: 'c2', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o' };
      startSse(response);
      sseEvent(response, {
        ...base,
        choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
      });
      await new Promise((resolve) => setTimeout(resolve, 150));
      sseEvent(response, {
        ...base,
        choices: [{ index: 0, delta: { content: 'late' }, finish_reason: 'stop' }],
      });
      sseEvent(response, {
        ...base,
        choices: [],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      });
      sseEvent(response, '[DONE]');
      response.end();
    };
    const { data: stream, response } = await openai.chat.completions
      .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], stream: true })
      .withResponse();
    for await (const _chunk of stream) {
      // drain
    }
    const genai = spanNamed(
      await h.spans(traceIdOf(response.headers.get('traceparent')), 2),
      'chat gpt-4o',
    );
    expect(genai.attributes['gen_ai.server.time_to_first_token']).toBeGreaterThanOrEqual(0.14);
    expect(genai.attributes['gen_ai.server.request.duration']).toBeGreaterThanOrEqual(0.14);
  });

  it('streams Anthropic messages with usage, cache tokens and the same attributes as a plain call', async () => {
    const params = {
      model: 'claude-sonnet-4-6',
      max_tokens: 64,
      messages: [{ role: 'user' as const, content: 'Say hello' }],
    };
    const { data: stream, response } = await anthropic.messages
      .create({ ...params, stream: true })
      .withResponse();
    let text = '';
    for await (const event of stream) {
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
        text += event.delta.text;
    }
    expect(text).toBe(ANSWER);
    const streamed = spanNamed(
      await h.spans(traceIdOf(response.headers.get('traceparent')), 2),
      'chat claude-sonnet-4-6',
    );
    expect(streamed.attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 17,
      'gen_ai.usage.output_tokens': 3,
      'gen_ai.usage.cache_read.input_tokens': 5,
      'gen_ai.usage.cache_creation.input_tokens': 2,
      'gen_ai.response.finish_reasons': ['end_turn'],
    });
    const plain = await anthropic.messages.create(params).withResponse();
    const plainSpan = spanNamed(
      await h.spans(traceIdOf(plain.response.headers.get('traceparent')), 2),
      'chat claude-sonnet-4-6',
    );
    expect(keysOf(streamed)).toEqual(keysOf(plainSpan));
    expect(streamed.attributes['gen_ai.output.messages']).toEqual(
      plainSpan.attributes['gen_ai.output.messages'],
    );
  });

  it('records streamed tool calls as tool_call spans in both formats', async () => {
    const openaiCall = await openai.chat.completions
      .create({
        model: 'gpt-4o',
        stream: true,
        messages: [{ role: 'user', content: 'Weather?' }],
        tools: [
          { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } },
        ],
      })
      .withResponse();
    for await (const _chunk of openaiCall.data) {
      // drain
    }
    const openaiSpans = await h.spans(traceIdOf(openaiCall.response.headers.get('traceparent')), 3);
    const openaiTool = spanNamed(openaiSpans, 'tool_call.get_weather');
    expect(openaiTool.parentSpanId).toBe(spanNamed(openaiSpans, 'chat gpt-4o').spanId);
    expect(openaiTool.attributes['gen_ai.tool.call.arguments']).toBe('{"city":"Paris"}');

    const anthropicCall = await anthropic.messages
      .create({
        model: 'claude-sonnet-4-6',
        max_tokens: 50,
        stream: true,
        messages: [{ role: 'user', content: 'Weather?' }],
        tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
      })
      .withResponse();
    for await (const _event of anthropicCall.data) {
      // drain
    }
    const anthropicSpans = await h.spans(
      traceIdOf(anthropicCall.response.headers.get('traceparent')),
      3,
    );
    expect(spanNamed(anthropicSpans, 'tool_call.get_weather').attributes).toMatchObject({
      'gen_ai.tool.call.id': 'toolu_1',
      'gen_ai.tool.call.arguments': '{"city":"Paris"}',
    });
  });

  it('streams the Responses API', async () => {
    const { data: stream, response } = await openai.responses
      .create({ model: 'gpt-4.1', input: 'hi', stream: true })
      .withResponse();
    let text = '';
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') text += event.delta;
    }
    expect(text).toBe(ANSWER);
    const genai = spanNamed(
      await h.spans(traceIdOf(response.headers.get('traceparent')), 2),
      'chat gpt-4.1',
    );
    expect(genai.attributes).toMatchObject({
      'gen_ai.usage.output_tokens': 2,
      'gen_ai.response.id': 'resp_fake',
    });
  });

  it('streams to the Vercel AI SDK', async () => {
    const provider = createOpenAI({
      baseURL: h.baseURL,
      apiKey: PROVIDER_KEY,
      headers: h.to11Headers,
    });
    const result = streamText({ model: provider.chat('gpt-4o-mini'), prompt: 'Say hello' });
    expect(await result.text).toBe(ANSWER);
    const traceId = traceIdOf((await result.response).headers?.traceparent);
    const spans = await h.spans(traceId, 2);
    expect(spanNamed(spans, 'chat gpt-4o-mini').attributes['gen_ai.usage.input_tokens']).toBe(12);
    expect(secretsIn(h, spans)).toEqual([]);
  });
});
