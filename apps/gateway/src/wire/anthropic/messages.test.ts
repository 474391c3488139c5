import { describe, expect, it } from 'vitest';
import { anthropicRequest, anthropicResponse, anthropicUsage } from './messages.ts';

describe('anthropicRequest', () => {
  const cases: { name: string; body: Record<string, unknown>; expected: object }[] = [
    {
      name: 'reads parameters, the top-level system and the user id',
      body: {
        max_tokens: 256,
        temperature: 0.5,
        top_p: 0.8,
        top_k: 40,
        stop_sequences: ['###'],
        output_format: { type: 'json_schema' },
        system: [{ type: 'text', text: 'You are terse.' }],
        metadata: { user_id: 'u-9' },
        stream: true,
        messages: [{ role: 'user', content: 'Hi' }],
      },
      expected: {
        model: 'claude-sonnet-4-5',
        operation: 'chat',
        stream: true,
        attributes: {
          'gen_ai.request.max_tokens': 256,
          'gen_ai.request.temperature': 0.5,
          'gen_ai.request.top_p': 0.8,
          'gen_ai.request.top_k': 40,
          'gen_ai.request.stop_sequences': ['###'],
          'gen_ai.output.type': 'json',
        },
        input: [{ role: 'user', parts: [{ type: 'text', content: 'Hi' }] }],
        system: [{ type: 'text', content: 'You are terse.' }],
        userId: 'u-9',
      },
    },
    {
      name: 'reads tool_use, tool_result, thinking and images',
      body: {
        max_tokens: 10,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: 'QQ==' } },
              { type: 'text', text: 'Describe' },
            ],
          },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 'Let me look.' },
              { type: 'tool_use', id: 'toolu_1', name: 'zoom', input: { level: 2 } },
            ],
          },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'zoomed' }],
          },
        ],
      },
      expected: {
        operation: 'generate_content',
        stream: false,
        attributes: { 'gen_ai.request.max_tokens': 10, 'gen_ai.output.type': 'text' },
        input: [
          {
            role: 'user',
            parts: [
              { type: 'blob', modality: 'image', content: 'QQ==', mime_type: 'image/jpeg' },
              { type: 'text', content: 'Describe' },
            ],
          },
          {
            role: 'assistant',
            parts: [
              { type: 'reasoning', content: 'Let me look.' },
              { type: 'tool_call', id: 'toolu_1', name: 'zoom', arguments: { level: 2 } },
            ],
          },
          {
            role: 'user',
            parts: [{ type: 'tool_call_response', id: 'toolu_1', response: 'zoomed' }],
          },
        ],
        system: undefined,
      },
    },
  ];
  it.each(cases)('$name', ({ body, expected }) => {
    expect(anthropicRequest(body, 'claude-sonnet-4-5')).toMatchObject(expected);
  });
});

describe('anthropicResponse', () => {
  const cases: { name: string; body: Record<string, unknown>; expected: object }[] = [
    {
      name: 'counts cache reads and writes into input tokens',
      body: {
        id: 'msg_1',
        model: 'claude-sonnet-4-5',
        role: 'assistant',
        content: [{ type: 'text', text: 'Hello' }],
        stop_reason: 'end_turn',
        usage: {
          input_tokens: 10,
          output_tokens: 3,
          cache_read_input_tokens: 5,
          cache_creation_input_tokens: 2,
        },
      },
      expected: {
        id: 'msg_1',
        model: 'claude-sonnet-4-5',
        finishReasons: ['end_turn'],
        usage: { inputTokens: 17, outputTokens: 3, cacheReadTokens: 5, cacheWriteTokens: 2 },
        output: [
          {
            role: 'assistant',
            parts: [{ type: 'text', content: 'Hello' }],
            finish_reason: 'end_turn',
          },
        ],
        toolCalls: [],
      },
    },
    {
      name: 'reads a tool_use answer',
      body: {
        content: [{ type: 'tool_use', id: 'toolu_2', name: 'add', input: { a: 1, b: 2 } }],
        stop_reason: 'tool_use',
        usage: { input_tokens: 4, output_tokens: 6 },
      },
      expected: {
        finishReasons: ['tool_use'],
        usage: { inputTokens: 4, outputTokens: 6 },
        output: [
          {
            role: 'assistant',
            parts: [{ type: 'tool_call', id: 'toolu_2', name: 'add', arguments: { a: 1, b: 2 } }],
            finish_reason: 'tool_use',
          },
        ],
        toolCalls: [
          { id: 'toolu_2', name: 'add', arguments: '{"a":1,"b":2}', startNs: 5n, endNs: 5n },
        ],
      },
    },
  ];
  it.each(cases)('$name', ({ body, expected }) => {
    expect(anthropicResponse(body, 5n)).toEqual(expected);
  });

  it('merges message_delta usage over message_start usage', () => {
    const start = anthropicUsage({ input_tokens: 8, output_tokens: 1, cache_read_input_tokens: 2 });
    expect(anthropicUsage({ output_tokens: 9 }, start)).toEqual({
      inputTokens: 10,
      outputTokens: 9,
      cacheReadTokens: 2,
      cacheWriteTokens: undefined,
    });
  });
});
