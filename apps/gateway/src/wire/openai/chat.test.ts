import { describe, expect, it } from 'vitest';
import { openaiChatRequest, openaiChatResponse, openaiUsage } from './chat.ts';

describe('openaiChatRequest', () => {
  const cases: { name: string; body: Record<string, unknown>; expected: object }[] = [
    {
      name: 'reads parameters, system and user content',
      body: {
        model: 'gpt-4o',
        max_completion_tokens: 100,
        max_tokens: 7,
        temperature: 0.2,
        top_p: 0.9,
        stop: 'END',
        seed: 42,
        n: 2,
        response_format: { type: 'json_schema' },
        user: 'u-1',
        stream: true,
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
        ],
      },
      expected: {
        model: 'gpt-4o',
        operation: 'chat',
        stream: true,
        attributes: {
          'gen_ai.request.max_tokens': 100,
          'gen_ai.request.temperature': 0.2,
          'gen_ai.request.top_p': 0.9,
          'gen_ai.request.stop_sequences': ['END'],
          'gen_ai.request.seed': 42,
          'gen_ai.request.choice.count': 2,
          'gen_ai.output.type': 'json',
        },
        input: [{ role: 'user', parts: [{ type: 'text', content: 'Hi' }] }],
        system: [{ type: 'text', content: 'Be brief.' }],
        userId: 'u-1',
      },
    },
    {
      name: 'reads tool calls and tool results, and an image makes it generate_content',
      body: {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,AAA=' } },
            ],
          },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'call_1', type: 'function', function: { name: 'look', arguments: '{"q":1}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: 'a cat' },
        ],
      },
      expected: {
        operation: 'generate_content',
        stream: false,
        attributes: { 'gen_ai.output.type': 'text' },
        input: [
          {
            role: 'user',
            parts: [
              { type: 'text', content: 'What is this?' },
              { type: 'blob', modality: 'image', content: 'AAA=', mime_type: 'image/png' },
            ],
          },
          {
            role: 'assistant',
            parts: [{ type: 'tool_call', id: 'call_1', name: 'look', arguments: { q: 1 } }],
          },
          {
            role: 'tool',
            parts: [{ type: 'tool_call_response', id: 'call_1', response: 'a cat' }],
          },
        ],
        system: undefined,
      },
    },
  ];
  it.each(cases)('$name', ({ body, expected }) => {
    expect(openaiChatRequest(body, 'gpt-4o')).toMatchObject(expected);
  });
});

describe('openaiChatResponse', () => {
  const cases: { name: string; body: Record<string, unknown>; expected: object }[] = [
    {
      name: 'reads text, finish reason and usage with cached and reasoning tokens',
      body: {
        id: 'chatcmpl-1',
        model: 'gpt-4o-2024-08-06',
        choices: [
          { index: 0, message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' },
        ],
        usage: {
          prompt_tokens: 10,
          completion_tokens: 5,
          prompt_tokens_details: { cached_tokens: 4 },
          completion_tokens_details: { reasoning_tokens: 2 },
        },
      },
      expected: {
        id: 'chatcmpl-1',
        model: 'gpt-4o-2024-08-06',
        finishReasons: ['stop'],
        usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 4, reasoningTokens: 2 },
        output: [
          { role: 'assistant', parts: [{ type: 'text', content: 'Hello' }], finish_reason: 'stop' },
        ],
        toolCalls: [],
      },
    },
    {
      name: 'reads tool calls with canonical arguments',
      body: {
        choices: [
          {
            message: {
              role: 'assistant',
              content: null,
              tool_calls: [
                { id: 'c1', function: { name: 'get_weather', arguments: '{ "city": "Oslo" }' } },
              ],
            },
            finish_reason: 'tool_calls',
          },
        ],
      },
      expected: {
        finishReasons: ['tool_calls'],
        usage: {},
        output: [
          {
            role: 'assistant',
            parts: [
              { type: 'tool_call', id: 'c1', name: 'get_weather', arguments: { city: 'Oslo' } },
            ],
            finish_reason: 'tool_calls',
          },
        ],
        toolCalls: [
          { id: 'c1', name: 'get_weather', arguments: '{"city":"Oslo"}', startNs: 9n, endNs: 9n },
        ],
      },
    },
  ];
  it.each(cases)('$name', ({ body, expected }) => {
    expect(openaiChatResponse(body, 9n)).toEqual(expected);
  });

  it('reads Responses-style usage names too', () => {
    expect(openaiUsage({ input_tokens: 3, output_tokens: 1 })).toEqual({
      inputTokens: 3,
      outputTokens: 1,
      cacheReadTokens: undefined,
      reasoningTokens: undefined,
    });
  });
});
