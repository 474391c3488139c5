import type Anthropic from '@anthropic-ai/sdk';
import { testEngines } from '@to11/store/testing';
import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, sdkClients, spanNamed, startHarness, traceIdOf } from './harness.ts';

describe.each(testEngines())('happy paths with tool calls and images on %s', (engine) => {
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

  it('records one tool_call span per tool call in the answer', async () => {
    const { response } = await openai.chat.completions
      .create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
        tools: [
          { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } },
        ],
      })
      .withResponse();
    const spans = await h.spans(traceIdOf(response.headers.get('traceparent')), 3);
    const genai = spanNamed(spans, 'chat gpt-4o');
    const tool = spanNamed(spans, 'tool_call.get_weather');
    expect(tool.kind).toBe('INTERNAL');
    expect(tool.parentSpanId).toBe(genai.spanId);
    expect(tool.attributes).toMatchObject({
      'gen_ai.tool.name': 'get_weather',
      'gen_ai.tool.call.id': 'call_1',
      'gen_ai.tool.call.arguments': '{"city":"Paris"}',
    });
    expect(genai.attributes['gen_ai.response.finish_reasons']).toEqual(['tool_calls']);
    expect(JSON.parse(String(genai.attributes['gen_ai.output.messages']))[0].parts[0]).toEqual({
      type: 'tool_call',
      id: 'call_1',
      name: 'get_weather',
      arguments: { city: 'Paris' },
    });
  });

  it('records Anthropic tool_use blocks as tool_call spans', async () => {
    const { response } = await anthropic.messages
      .create({
        model: 'claude-haiku-4-5',
        max_tokens: 50,
        messages: [{ role: 'user', content: 'Weather?' }],
        tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
      })
      .withResponse();
    const spans = await h.spans(traceIdOf(response.headers.get('traceparent')), 3);
    const tool = spanNamed(spans, 'tool_call.get_weather');
    expect(tool.parentSpanId).toBe(spanNamed(spans, 'chat claude-haiku-4-5').spanId);
    expect(tool.attributes['gen_ai.tool.call.id']).toBe('toolu_1');
  });

  it('records image input as generate_content for both SDK shapes', async () => {
    const png = 'iVBORw0KGgo=';
    const first = await openai.chat.completions
      .create({
        model: 'gpt-4o',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } },
            ],
          },
        ],
      })
      .withResponse();
    const openaiSpans = await h.spans(traceIdOf(first.response.headers.get('traceparent')), 2);
    const genai = spanNamed(openaiSpans, 'generate_content gpt-4o');
    expect(genai.attributes['gen_ai.operation.name']).toBe('generate_content');
    expect(JSON.parse(String(genai.attributes['gen_ai.input.messages']))[0].parts[1]).toEqual({
      type: 'blob',
      modality: 'image',
      mime_type: 'image/png',
      content: png,
    });
    const second = await anthropic.messages
      .create({
        model: 'claude-sonnet-4-6',
        max_tokens: 20,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } },
            ],
          },
        ],
      })
      .withResponse();
    const anthropicSpans = await h.spans(traceIdOf(second.response.headers.get('traceparent')), 2);
    expect(spanNamed(anthropicSpans, 'generate_content claude-sonnet-4-6').kind).toBe('CLIENT');
  });
});
