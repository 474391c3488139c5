import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ANTHROPIC_STREAM } from '../../../test/anthropic-recording.ts';
import { replayEverySplit, replayWhole } from '../../../test/sse-replay.ts';
import { AnthropicStreamAccumulator } from '../anthropic/stream.ts';
import { AnthropicToChatStream, anthropicToChatResponse } from './anthropic-to-chat-response.ts';

const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);
const CREATED = Math.floor(NOW / 1000);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('anthropicToChatResponse', () => {
  const cases: { name: string; message: Record<string, unknown>; expected: object }[] = [
    {
      name: 'text and end_turn become a "stop" completion with cache-inclusive prompt tokens',
      message: {
        id: 'msg_1',
        model: 'claude-sonnet-4-5',
        content: [
          { type: 'text', text: 'Hi ' },
          { type: 'text', text: 'there' },
        ],
        stop_reason: 'end_turn',
        usage: { input_tokens: 10, output_tokens: 2, cache_read_input_tokens: 6 },
      },
      expected: {
        id: 'msg_1',
        object: 'chat.completion',
        created: CREATED,
        model: 'claude-sonnet-4-5',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'Hi there', refusal: null },
            logprobs: null,
            finish_reason: 'stop',
          },
        ],
        usage: {
          prompt_tokens: 16,
          completion_tokens: 2,
          total_tokens: 18,
          prompt_tokens_details: { cached_tokens: 6 },
        },
      },
    },
    {
      name: 'tool_use becomes tool_calls with null content; max_tokens becomes "length"',
      message: {
        id: 'msg_2',
        model: 'claude-sonnet-4-5',
        content: [{ type: 'tool_use', id: 'toolu_1', name: 'find', input: { q: 'x' } }],
        stop_reason: 'max_tokens',
        usage: { input_tokens: 3, output_tokens: 4 },
      },
      expected: {
        id: 'msg_2',
        object: 'chat.completion',
        created: CREATED,
        model: 'claude-sonnet-4-5',
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: null,
              refusal: null,
              tool_calls: [
                {
                  id: 'toolu_1',
                  type: 'function',
                  function: { name: 'find', arguments: '{"q":"x"}' },
                },
              ],
            },
            logprobs: null,
            finish_reason: 'length',
          },
        ],
        usage: {
          prompt_tokens: 3,
          completion_tokens: 4,
          total_tokens: 7,
          prompt_tokens_details: { cached_tokens: 0 },
        },
      },
    },
  ];
  it.each(cases)('$name', ({ message, expected }) => {
    expect(anthropicToChatResponse(message)).toEqual(expected);
  });
});

describe('AnthropicToChatStream', () => {
  const setup = (includeUsage: boolean) => () => ({
    accumulator: new AnthropicStreamAccumulator(),
    translator: new AnthropicToChatStream(includeUsage),
  });
  const base = {
    id: 'msg_01',
    object: 'chat.completion.chunk',
    created: CREATED,
    model: 'claude-sonnet-4-5',
  };
  const chunk = (delta: object, finish: string | null = null): string =>
    `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;

  it('re-emits the Messages stream as chat chunks, usage chunk and [DONE]', () => {
    const whole = replayWhole(ANTHROPIC_STREAM, setup(true)());
    const usage = {
      prompt_tokens: 24,
      completion_tokens: 15,
      total_tokens: 39,
      prompt_tokens_details: { cached_tokens: 4 },
    };
    expect(whole.outcome).toBe('complete');
    expect(whole.text).toBe(
      [
        chunk({ role: 'assistant', content: '' }),
        chunk({ content: 'Grüß ' }),
        chunk({ content: 'dich 🌍' }),
        chunk({
          tool_calls: [
            {
              index: 0,
              id: 'toolu_9',
              type: 'function',
              function: { name: 'lookup', arguments: '' },
            },
          ],
        }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '{"term":' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '"Straße"}' } }] }),
        chunk({}, 'tool_calls'),
        `data: ${JSON.stringify({ ...base, choices: [], usage })}\n\n`,
        'data: [DONE]\n\n',
      ].join(''),
    );
  });

  it('leaves the usage chunk out when the caller did not ask for it', () => {
    const whole = replayWhole(ANTHROPIC_STREAM, setup(false)());
    expect(whole.text).not.toContain('"usage"');
    expect(whole.text.endsWith(`${chunk({}, 'tool_calls')}data: [DONE]\n\n`)).toBe(true);
  });

  it('gives the same chunks whatever byte boundary splits the upstream stream', () => {
    expect(replayEverySplit(ANTHROPIC_STREAM, setup(true)).differing).toEqual([]);
  });

  it('turns an Anthropic error event into an OpenAI error chunk', () => {
    const translator = new AnthropicToChatStream(false);
    const out = translator.onEvent({
      event: 'error',
      id: undefined,
      data: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
    });
    expect(JSON.parse(out.slice('data: '.length))).toEqual({
      error: { message: 'Overloaded', type: 'server_error', param: null, code: 'upstream' },
    });
  });
});
