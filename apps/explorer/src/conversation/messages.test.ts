import type { GenAiEvent } from '@to11/trace-core/genai-view';
import { describe, expect, it } from 'vitest';
import {
  conversationOf,
  prettyJson,
  resultText,
  spanMessages,
  systemInstructionsOf,
} from './messages.ts';

describe('conversationOf (trace-core parser, as the page reads captured attributes)', () => {
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
    expect(conversationOf(captured, 'user')).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 'c1', name: 'weather', arguments: { city: 'Paris' } }],
      },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', response: '18°C' }] },
      { role: 'user', parts: [{ type: 'image' }] },
    ]);
  });

  it('keeps the finish reason of an output message and gives a role-less output the assistant', () => {
    const output = [{ parts: [{ type: 'text', content: 'Hi' }], finish_reason: 'stop' }];
    expect(conversationOf(output)).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'Hi' }], finish_reason: 'stop' },
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
        parts: [{ type: 'text', content: 'Look' }, { type: 'image' }],
      },
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 't1', name: 'search', arguments: { q: 'cats' } }],
      },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 't1', response: 'three cats' }] },
      { role: 'assistant', parts: [{ type: 'text', content: 'Found three cats.' }] },
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
    const conversation = conversationOf(messages);
    expect(conversation).toEqual([
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', content: 'need data' },
          { type: 'text', content: 'Checking.' },
          { type: 'tool_call', id: 'tu1', name: 'lookup', arguments: { id: 7 } },
        ],
      },
      {
        role: 'user',
        parts: [
          { type: 'tool_call_response', id: 'tu1', response: [{ type: 'text', text: 'ok' }] },
        ],
      },
    ]);
    const result = conversation[1]?.parts[0];
    expect(result?.type === 'tool_call_response' && resultText(result.response)).toBe('ok');
  });

  it('reads OpenAI Responses items: messages, function calls and their outputs', () => {
    const items = [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Add 2+2' }] },
      { type: 'function_call', call_id: 'f1', name: 'add', arguments: '{"a":2,"b":2}' },
      { type: 'function_call_output', call_id: 'f1', output: '4' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: '4' }] },
    ];
    expect(conversationOf(items)).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Add 2+2' }] },
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 'f1', name: 'add', arguments: { a: 2, b: 2 } }],
      },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'f1', response: '4' }] },
      { role: 'assistant', parts: [{ type: 'text', content: '4' }] },
    ]);
  });

  it('shows a truncated capture that is no longer JSON as text instead of dropping it', () => {
    expect(conversationOf('[{"role":"user","parts…[truncated]', 'user')).toEqual([
      { role: 'user', parts: [{ type: 'text', content: '[{"role":"user","parts…[truncated]' }] },
    ]);
    expect(conversationOf(undefined)).toEqual([]);
  });
});

describe('spanMessages (any convention)', () => {
  it('reads an OpenInference span, which has no gen_ai.*.messages', () => {
    const span = {
      attributes: {
        'openinference.span.kind': 'LLM',
        'llm.input_messages.0.message.role': 'user',
        'llm.input_messages.0.message.content': 'What is 2+2?',
        'llm.output_messages.0.message.role': 'assistant',
        'llm.output_messages.0.message.content': '4',
      },
    };
    expect(spanMessages(span)).toEqual({
      system: [],
      input: [{ role: 'user', parts: [{ type: 'text', content: 'What is 2+2?' }] }],
      output: [{ role: 'assistant', parts: [{ type: 'text', content: '4' }] }],
    });
  });

  it('reads messages written as span events, and keeps the semconv attributes first', () => {
    const events: GenAiEvent[] = [
      { name: 'gen_ai.user.message', attributes: { content: 'ignored: the attribute wins' } },
      { name: 'gen_ai.choice', attributes: { body: '{"message":{"content":"hello"}}' } },
    ];
    const span = {
      events,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"hi"}]}]',
      },
    };
    const { input, output } = spanMessages(span);
    expect(input).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'hi' }] }]);
    expect(output).toHaveLength(1);
    expect(output[0]?.parts).toEqual([{ type: 'text', content: 'hello' }]);
  });
});

describe('systemInstructionsOf', () => {
  it('turns the system instruction parts into one system message', () => {
    expect(systemInstructionsOf('[{"type":"text","content":"Be brief."}]')).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'Be brief.' }] },
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
