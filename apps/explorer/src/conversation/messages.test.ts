import { describe, expect, it } from 'vitest';
import { conversationOf, prettyJson, systemInstructionsOf } from './messages.ts';

describe('conversationOf', () => {
  it('reads semconv parts, the shape the gateway captures, from the JSON string attribute', () => {
    const captured = JSON.stringify([
      { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 'c1', name: 'weather', arguments: { city: 'Paris' } }],
      },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', response: '18°C' }] },
      { role: 'user', parts: [{ type: 'uri', modality: 'image', uri: 'https://x/y.png' }] },
    ]);
    expect(conversationOf(captured)).toEqual([
      { role: 'user', parts: [{ type: 'text', text: 'Weather in Paris?' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'tool_call', id: 'c1', name: 'weather', arguments: '{\n  "city": "Paris"\n}' },
        ],
      },
      { role: 'tool', parts: [{ type: 'tool_result', id: 'c1', content: '18°C' }] },
      { role: 'user', parts: [{ type: 'media', label: '[image]' }] },
    ]);
  });

  it('keeps the finish reason of an output message', () => {
    const output = [
      { role: 'assistant', parts: [{ type: 'text', content: 'Hi' }], finish_reason: 'stop' },
    ];
    expect(conversationOf(output)).toEqual([
      { role: 'assistant', parts: [{ type: 'text', text: 'Hi' }], finishReason: 'stop' },
    ]);
  });

  it('reads OpenAI chat messages with string content, content arrays, tool calls and tool answers', () => {
    const messages = [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look' },
          { type: 'image_url', image_url: { url: 'data:' } },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 't1', type: 'function', function: { name: 'search', arguments: '{"q":"cats"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 't1', content: 'three cats' },
      { role: 'assistant', content: 'Found three cats.' },
    ];
    expect(conversationOf(messages)).toEqual([
      {
        role: 'user',
        parts: [
          { type: 'text', text: 'Look' },
          { type: 'media', label: '[image_url]' },
        ],
      },
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 't1', name: 'search', arguments: '{\n  "q": "cats"\n}' }],
      },
      { role: 'tool', parts: [{ type: 'tool_result', id: 't1', content: 'three cats' }] },
      { role: 'assistant', parts: [{ type: 'text', text: 'Found three cats.' }] },
    ]);
  });

  it('reads Anthropic content blocks: text, thinking, tool_use and tool_result', () => {
    const messages = [
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'need data' },
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'tu1', name: 'lookup', input: { id: 7 } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'tu1', content: [{ type: 'text', text: 'ok' }] },
        ],
      },
    ];
    expect(conversationOf(messages)).toEqual([
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', text: 'need data' },
          { type: 'text', text: 'Checking.' },
          { type: 'tool_call', id: 'tu1', name: 'lookup', arguments: '{\n  "id": 7\n}' },
        ],
      },
      { role: 'user', parts: [{ type: 'tool_result', id: 'tu1', content: 'ok' }] },
    ]);
  });

  it('reads OpenAI Responses items: messages, function calls and their outputs', () => {
    const items = [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Add 2+2' }] },
      { type: 'function_call', call_id: 'f1', name: 'add', arguments: '{"a":2,"b":2}' },
      { type: 'function_call_output', call_id: 'f1', output: '4' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: '4' }] },
    ];
    expect(conversationOf(items)).toEqual([
      { role: 'user', parts: [{ type: 'text', text: 'Add 2+2' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'tool_call', id: 'f1', name: 'add', arguments: '{\n  "a": 2,\n  "b": 2\n}' },
        ],
      },
      { role: 'tool', parts: [{ type: 'tool_result', id: 'f1', content: '4' }] },
      { role: 'assistant', parts: [{ type: 'text', text: '4' }] },
    ]);
  });

  it('shows a truncated capture that is no longer JSON as text instead of dropping it', () => {
    expect(conversationOf('[{"role":"user","parts…[truncated]', 'user')).toEqual([
      { role: 'user', parts: [{ type: 'text', text: '[{"role":"user","parts…[truncated]' }] },
    ]);
    expect(conversationOf(undefined)).toEqual([]);
  });
});

describe('systemInstructionsOf', () => {
  it('turns the system instruction parts into one system message', () => {
    expect(systemInstructionsOf('[{"type":"text","content":"Be brief."}]')).toEqual([
      { role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
    ]);
  });
});

describe('prettyJson', () => {
  it('indents JSON, parses JSON strings and leaves other strings alone', () => {
    expect(prettyJson({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(prettyJson('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyJson('plain')).toBe('plain');
  });
});
