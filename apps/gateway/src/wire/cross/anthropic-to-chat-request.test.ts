import { describe, expect, it } from 'vitest';
import { anthropicToChatRequest } from './anthropic-to-chat-request.ts';

describe('anthropicToChatRequest', () => {
  const cases: {
    name: string;
    model: string;
    body: Record<string, unknown>;
    expected: object;
  }[] = [
    {
      name: 'puts `system` first, asks for usage on a stream, and maps metadata.user_id',
      model: 'gpt-4o',
      body: {
        system: [{ type: 'text', text: 'Be kind.' }],
        max_tokens: 64,
        temperature: 0.3,
        stop_sequences: ['##'],
        stream: true,
        metadata: { user_id: 'u-5' },
        messages: [{ role: 'user', content: 'Hello' }],
      },
      expected: {
        model: 'gpt-4o',
        messages: [
          { role: 'system', content: 'Be kind.' },
          { role: 'user', content: 'Hello' },
        ],
        max_tokens: 64,
        temperature: 0.3,
        stop: ['##'],
        stream: true,
        stream_options: { include_usage: true },
        user: 'u-5',
      },
    },
    {
      name: 'turns tool_use into tool calls, tool_result into tool messages (max_completion_tokens for o-series)',
      model: 'o3-mini',
      body: {
        max_tokens: 100,
        tools: [
          { name: 'sum', description: 'Adds', input_schema: { type: 'object', properties: {} } },
        ],
        tool_choice: { type: 'tool', name: 'sum' },
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Add these' },
              { type: 'image', source: { type: 'base64', media_type: 'image/gif', data: 'R0lG' } },
            ],
          },
          {
            role: 'assistant',
            content: [{ type: 'tool_use', id: 'toolu_1', name: 'sum', input: { a: 1 } }],
          },
          {
            role: 'user',
            content: [
              {
                type: 'tool_result',
                tool_use_id: 'toolu_1',
                content: [{ type: 'text', text: '1' }],
              },
            ],
          },
        ],
      },
      expected: {
        model: 'o3-mini',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Add these' },
              { type: 'image_url', image_url: { url: 'data:image/gif;base64,R0lG' } },
            ],
          },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'toolu_1', type: 'function', function: { name: 'sum', arguments: '{"a":1}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'toolu_1', content: '1' },
        ],
        max_completion_tokens: 100,
        tools: [
          {
            type: 'function',
            function: {
              name: 'sum',
              parameters: { type: 'object', properties: {} },
              description: 'Adds',
            },
          },
        ],
        tool_choice: { type: 'function', function: { name: 'sum' } },
      },
    },
  ];
  it.each(cases)('$name', ({ body, model, expected }) => {
    expect(anthropicToChatRequest(body, model)).toEqual(expected);
  });
});
