import type Anthropic from '@anthropic-ai/sdk';
import { testEngines } from '@to11/store/testing';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type Harness,
  PROVIDER_KEY,
  sdkClients,
  spanNamed,
  startHarness,
  traceIdOf,
} from './harness.ts';
import { ANSWER, defaultProvider } from './provider-script.ts';

describe.each(testEngines())('cross-format calls on %s', (engine) => {
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

  it('answers an OpenAI-shaped request for a Claude model in the OpenAI shape', async () => {
    const { data, response } = await openai.chat.completions
      .create({
        model: 'claude-sonnet-4-6',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Say hello' },
        ],
        max_tokens: 30,
      })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe(ANSWER);
    expect(data.usage?.prompt_tokens).toBe(17);
    const upstream = h.fake.requests.at(-1);
    expect(upstream?.path).toBe('/v1/messages');
    expect(upstream?.json).toMatchObject({
      model: 'claude-sonnet-4-6',
      system: 'Be brief.',
      max_tokens: 30,
    });
    expect(upstream?.headers['x-api-key']).toBe(PROVIDER_KEY);
    const genai = spanNamed(
      await h.spans(traceIdOf(response.headers.get('traceparent')), 2),
      'chat claude-sonnet-4-6',
    );
    expect(genai.attributes['gen_ai.provider.name']).toBe('anthropic');
  });

  it('streams a Claude answer with tool calls to the OpenAI SDK', async () => {
    const stream = await openai.chat.completions.create({
      model: 'claude-sonnet-4-6',
      stream: true,
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: [
        { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } },
      ],
    });
    let args = '';
    let name = '';
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      const call = chunk.choices[0]?.delta.tool_calls?.[0];
      name += call?.function?.name ?? '';
      args += call?.function?.arguments ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(name).toBe('get_weather');
    expect(JSON.parse(args)).toEqual({ city: 'Paris' });
    expect(finish).toBe('tool_calls');
    expect(h.fake.requests.at(-1)?.json?.tools).toEqual([
      { name: 'get_weather', input_schema: { type: 'object' } },
    ]);
  });

  it('answers an Anthropic-shaped request for a GPT model in the Anthropic shape, streamed or not', async () => {
    const message = await anthropic.messages.create({
      model: 'gpt-4o',
      max_tokens: 30,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Say hello' }],
    });
    expect(message.content[0]).toMatchObject({ type: 'text', text: ANSWER });
    expect(message.usage.output_tokens).toBe(3);
    expect(h.fake.requests.at(-1)?.json?.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Say hello' },
    ]);
    const stream = anthropic.messages.stream({
      model: 'gpt-4o',
      max_tokens: 30,
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
    });
    const final = await stream.finalMessage();
    expect(final.content[0]).toMatchObject({
      type: 'tool_use',
      name: 'get_weather',
      input: { city: 'Paris' },
    });
    expect(final.stop_reason).toBe('tool_use');
    const text = await anthropic.messages
      .stream({ model: 'gpt-4o', max_tokens: 30, messages: [{ role: 'user', content: 'hi' }] })
      .finalText();
    expect(text).toBe(ANSWER);
  });

  it('rejects an endpoint the model provider does not have', async () => {
    const error = await openai.embeddings
      .create({ model: 'claude-sonnet-4-6', input: 'x' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
  });
});
