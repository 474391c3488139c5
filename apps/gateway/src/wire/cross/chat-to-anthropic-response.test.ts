import { describe, expect, it } from 'vitest';
import { OPENAI_CHAT_STREAM } from '../../../test/openai-recording.ts';
import { replayEverySplit, replayWhole } from '../../../test/sse-replay.ts';
import { OpenAIChatStreamAccumulator } from '../openai/chat-stream.ts';
import { ChatToAnthropicStream, chatToAnthropicResponse } from './chat-to-anthropic-response.ts';

describe('chatToAnthropicResponse', () => {
  const cases: { name: string; completion: Record<string, unknown>; expected: object }[] = [
    {
      name: 'text and "stop" become end_turn; cached tokens leave input_tokens',
      completion: {
        id: 'chatcmpl-1',
        model: 'gpt-4o',
        choices: [{ message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' }],
        usage: {
          prompt_tokens: 10,
          completion_tokens: 3,
          prompt_tokens_details: { cached_tokens: 4 },
        },
      },
      expected: {
        id: 'chatcmpl-1',
        type: 'message',
        role: 'assistant',
        model: 'gpt-4o',
        content: [{ type: 'text', text: 'Hello' }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: {
          input_tokens: 6,
          output_tokens: 3,
          cache_read_input_tokens: 4,
          cache_creation_input_tokens: 0,
        },
      },
    },
    {
      name: 'tool calls become tool_use blocks and "tool_calls" becomes tool_use',
      completion: {
        id: 'chatcmpl-2',
        model: 'gpt-4o',
        choices: [
          {
            message: {
              content: null,
              tool_calls: [{ id: 'call_3', function: { name: 'calc', arguments: '{"x":2}' } }],
            },
            finish_reason: 'tool_calls',
          },
        ],
        usage: { prompt_tokens: 5, completion_tokens: 7 },
      },
      expected: {
        id: 'chatcmpl-2',
        type: 'message',
        role: 'assistant',
        model: 'gpt-4o',
        content: [{ type: 'tool_use', id: 'call_3', name: 'calc', input: { x: 2 } }],
        stop_reason: 'tool_use',
        stop_sequence: null,
        usage: {
          input_tokens: 5,
          output_tokens: 7,
          cache_read_input_tokens: 0,
          cache_creation_input_tokens: 0,
        },
      },
    },
  ];
  it.each(cases)('$name', ({ completion, expected }) => {
    expect(chatToAnthropicResponse(completion)).toEqual(expected);
  });
});

describe('ChatToAnthropicStream', () => {
  const setup = () => ({
    accumulator: new OpenAIChatStreamAccumulator(),
    translator: new ChatToAnthropicStream(),
  });
  const event = (type: string, data: object): string =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

  it('re-emits chat chunks as the Messages event sequence', () => {
    const whole = replayWhole(OPENAI_CHAT_STREAM, setup());
    expect(whole.outcome).toBe('complete');
    expect(whole.text).toBe(
      [
        ':keep-alive\n\n',
        event('message_start', {
          message: {
            id: 'chatcmpl-9',
            type: 'message',
            role: 'assistant',
            model: 'gpt-4o',
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { input_tokens: 0, output_tokens: 0 },
          },
        }),
        event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
        event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Héllo ' } }),
        event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'wörld 👋' } }),
        event('content_block_stop', { index: 0 }),
        event('content_block_start', {
          index: 1,
          content_block: { type: 'tool_use', id: 'call_7', name: 'get_', input: {} },
        }),
        event('content_block_delta', {
          index: 1,
          delta: { type: 'input_json_delta', partial_json: '{"city":' },
        }),
        event('content_block_delta', {
          index: 1,
          delta: { type: 'input_json_delta', partial_json: '"Oslo"}' },
        }),
        event('content_block_stop', { index: 1 }),
        event('message_delta', {
          delta: { stop_reason: 'tool_use', stop_sequence: null },
          usage: {
            input_tokens: 10,
            output_tokens: 8,
            cache_read_input_tokens: 2,
            cache_creation_input_tokens: 0,
          },
        }),
        event('message_stop', {}),
      ].join(''),
    );
  });

  it('gives the same events whatever byte boundary splits the upstream stream', () => {
    expect(replayEverySplit(OPENAI_CHAT_STREAM, setup).differing).toEqual([]);
  });

  it('turns an OpenAI error chunk into an Anthropic error event', () => {
    const out = new ChatToAnthropicStream().onEvent({
      event: undefined,
      id: undefined,
      data: '{"error":{"message":"rate limited"}}',
    });
    expect(out).toBe(event('error', { error: { type: 'api_error', message: 'rate limited' } }));
  });
});
