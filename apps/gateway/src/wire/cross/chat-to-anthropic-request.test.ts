import { describe, expect, it } from 'vitest';
import { chatToAnthropicRequest, DEFAULT_MAX_TOKENS } from './chat-to-anthropic-request.ts';

describe('chatToAnthropicRequest', () => {
  const cases: { name: string; body: Record<string, unknown>; expected: object }[] = [
    {
      name: 'moves system messages to `system`, caps temperature at 1 and defaults max_tokens',
      body: {
        model: 'claude',
        temperature: 1.5,
        top_p: 0.9,
        stop: ['STOP'],
        stream: true,
        user: 'u-1',
        messages: [
          { role: 'system', content: 'Rule one.' },
          { role: 'developer', content: [{ type: 'text', text: 'Rule two.' }] },
          { role: 'user', content: 'Hi' },
        ],
      },
      expected: {
        model: 'claude-sonnet-4-5',
        max_tokens: DEFAULT_MAX_TOKENS,
        messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
        system: 'Rule one.\n\nRule two.',
        temperature: 1,
        top_p: 0.9,
        stop_sequences: ['STOP'],
        stream: true,
        metadata: { user_id: 'u-1' },
      },
    },
    {
      name: 'turns tool calls into tool_use and tool messages into tool_result, merged by role',
      body: {
        max_tokens: 300,
        tools: [
          {
            type: 'function',
            function: { name: 'weather', description: 'Weather', parameters: { type: 'object' } },
          },
        ],
        tool_choice: 'required',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Weather here?' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBO' } },
            ],
          },
          {
            role: 'assistant',
            content: 'Checking.',
            tool_calls: [
              {
                id: 'call_1',
                type: 'function',
                function: { name: 'weather', arguments: '{"c":"Oslo"}' },
              },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
          { role: 'user', content: 'Thanks' },
        ],
      },
      expected: {
        model: 'claude-sonnet-4-5',
        max_tokens: 300,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Weather here?' },
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBO' } },
            ],
          },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: 'Checking.' },
              { type: 'tool_use', id: 'call_1', name: 'weather', input: { c: 'Oslo' } },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: 'call_1', content: 'sunny' },
              { type: 'text', text: 'Thanks' },
            ],
          },
        ],
        tools: [{ name: 'weather', description: 'Weather', input_schema: { type: 'object' } }],
        tool_choice: { type: 'any' },
      },
    },
  ];
  it.each(cases)('$name', ({ body, expected }) => {
    expect(chatToAnthropicRequest(body, 'claude-sonnet-4-5')).toEqual(expected);
  });
});
