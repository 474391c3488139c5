import { describe, expect, it } from 'vitest';
import { responsesRequest, responsesResponse } from './responses.ts';

describe('responsesRequest', () => {
  const cases: { name: string; body: Record<string, unknown>; expected: object }[] = [
    {
      name: 'takes a string input as the user message and instructions as system',
      body: {
        input: 'Tell me a joke',
        instructions: 'Be funny.',
        max_output_tokens: 50,
        temperature: 1,
        text: { format: { type: 'json_object' } },
        stream: true,
        user: 'u-2',
      },
      expected: {
        operation: 'chat',
        stream: true,
        attributes: {
          'gen_ai.request.max_tokens': 50,
          'gen_ai.request.temperature': 1,
          'gen_ai.output.type': 'json',
        },
        input: [{ role: 'user', parts: [{ type: 'text', content: 'Tell me a joke' }] }],
        system: [{ type: 'text', content: 'Be funny.' }],
        userId: 'u-2',
      },
    },
    {
      name: 'reads function calls, their outputs and images from input items',
      body: {
        input: [
          {
            role: 'user',
            content: [
              { type: 'input_text', text: 'Look' },
              { type: 'input_image', image_url: 'https://example.com/cat.png' },
            ],
          },
          { type: 'function_call', call_id: 'fc_1', name: 'see', arguments: '{"x":1}' },
          { type: 'function_call_output', call_id: 'fc_1', output: 'a cat' },
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
              { type: 'text', content: 'Look' },
              { type: 'uri', modality: 'image', uri: 'https://example.com/cat.png' },
            ],
          },
          {
            role: 'assistant',
            parts: [{ type: 'tool_call', id: 'fc_1', name: 'see', arguments: { x: 1 } }],
          },
          { role: 'tool', parts: [{ type: 'tool_call_response', id: 'fc_1', response: 'a cat' }] },
        ],
        system: undefined,
      },
    },
  ];
  it.each(cases)('$name', ({ body, expected }) => {
    expect(responsesRequest(body, 'gpt-4.1')).toMatchObject(expected);
  });
});

describe('responsesResponse', () => {
  const cases: { name: string; body: Record<string, unknown>; expected: object }[] = [
    {
      name: 'a completed message is "stop", with reasoning summary and usage',
      body: {
        id: 'resp_1',
        model: 'gpt-4.1',
        status: 'completed',
        output: [
          { type: 'reasoning', summary: [{ type: 'summary_text', text: 'Thought.' }] },
          { type: 'message', content: [{ type: 'output_text', text: 'Done' }] },
        ],
        usage: {
          input_tokens: 9,
          output_tokens: 4,
          output_tokens_details: { reasoning_tokens: 1 },
        },
      },
      expected: {
        id: 'resp_1',
        model: 'gpt-4.1',
        finishReasons: ['stop'],
        usage: { inputTokens: 9, outputTokens: 4, reasoningTokens: 1 },
        output: [
          {
            role: 'assistant',
            parts: [
              { type: 'reasoning', content: 'Thought.' },
              { type: 'text', content: 'Done' },
            ],
            finish_reason: 'stop',
          },
        ],
        toolCalls: [],
      },
    },
    {
      name: 'a completed function call is "tool_calls"',
      body: {
        status: 'completed',
        output: [{ type: 'function_call', call_id: 'fc_2', name: 'f', arguments: '{"a": 2}' }],
      },
      expected: {
        finishReasons: ['tool_calls'],
        usage: {},
        output: [
          {
            role: 'assistant',
            parts: [{ type: 'tool_call', id: 'fc_2', name: 'f', arguments: { a: 2 } }],
            finish_reason: 'tool_calls',
          },
        ],
        toolCalls: [{ id: 'fc_2', name: 'f', arguments: '{"a":2}', startNs: 3n, endNs: 3n }],
      },
    },
    {
      name: 'an incomplete response gives its reason',
      body: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } },
      expected: {
        finishReasons: ['max_output_tokens'],
        usage: {},
        output: [{ role: 'assistant', parts: [], finish_reason: 'max_output_tokens' }],
        toolCalls: [],
      },
    },
  ];
  it.each(cases)('$name', ({ body, expected }) => {
    expect(responsesResponse(body, 3n)).toEqual(expected);
  });
});
