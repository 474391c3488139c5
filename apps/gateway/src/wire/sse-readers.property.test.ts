/**
 * Property tests of the SSE readers behind the relay (eventsource-parser feed, the three
 * accumulators and the two cross-format translators): whatever an upstream sends, in whatever
 * chunks, nothing throws; a well-formed stream gives back its text at any split.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileEvent, splitAt, sseBody } from '../../test/hostile-arbitraries.ts';
import { type ReplaySetup, replay } from '../../test/sse-replay.ts';
import { AnthropicStreamAccumulator } from './anthropic/stream.ts';
import { AnthropicToChatStream } from './cross/anthropic-to-chat-response.ts';
import { ChatToAnthropicStream } from './cross/chat-to-anthropic-response.ts';
import { OpenAIChatStreamAccumulator } from './openai/chat-stream.ts';
import { ResponsesStreamAccumulator } from './openai/responses-stream.ts';

const READERS: Record<string, () => ReplaySetup> = {
  'openai chat': () => ({ accumulator: new OpenAIChatStreamAccumulator() }),
  'openai responses': () => ({ accumulator: new ResponsesStreamAccumulator() }),
  anthropic: () => ({ accumulator: new AnthropicStreamAccumulator() }),
  'chat → anthropic': () => ({
    accumulator: new OpenAIChatStreamAccumulator(),
    translator: new ChatToAnthropicStream(),
  }),
  'anthropic → chat': () => ({
    accumulator: new AnthropicStreamAccumulator(),
    translator: new AnthropicToChatStream(true),
  }),
};

const encoder = new TextEncoder();

describe.each(Object.keys(READERS))('%s stream reader', (name) => {
  const setup = READERS[name] as () => ReplaySetup;

  it('never throws on arbitrary bytes in arbitrary chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 8 }), (chunks) => {
        const replayed = replay(chunks, setup());
        expect(['complete', 'cut', 'upstream_error']).toContain(replayed.outcome);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on events of the right names with fields of any JSON type', () => {
    fc.assert(
      fc.property(fc.array(hostileEvent, { maxLength: 12 }), fc.nat(), (events, cut) => {
        const bytes = encoder.encode(sseBody(events));
        const replayed = replay(splitAt(bytes, cut), setup());
        expect(replayed.result.usage).toBeTypeOf('object');
      }),
      { numRuns: 500 },
    );
  });

  it('never throws in filter mode (events re-emitted one by one)', () => {
    fc.assert(
      fc.property(fc.array(hostileEvent, { maxLength: 12 }), (events) => {
        const { accumulator } = setup();
        replay([encoder.encode(sseBody(events))], { accumulator }, 'filter');
      }),
      { numRuns: 200 },
    );
  });
});

const textPiece = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 });

function openaiChatStream(pieces: string[]): string {
  const chunks = pieces.map((content, i) => ({
    id: 'chatcmpl-p',
    model: 'gpt-4o',
    choices: [{ index: 0, delta: i === 0 ? { role: 'assistant', content } : { content } }],
  }));
  chunks.push({
    id: 'chatcmpl-p',
    model: 'gpt-4o',
    choices: [{ index: 0, delta: {}, finish_reason: 'stop' } as never],
  });
  return `${chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('')}data: [DONE]\n\n`;
}

function anthropicStream(pieces: string[]): string {
  const events: Array<[string, unknown]> = [
    ['message_start', { type: 'message_start', message: { id: 'msg_p', model: 'claude' } }],
    [
      'content_block_start',
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    ],
    ...pieces.map((text): [string, unknown] => [
      'content_block_delta',
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } },
    ]),
    ['content_block_stop', { type: 'content_block_stop', index: 0 }],
    ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn' } }],
    ['message_stop', { type: 'message_stop' }],
  ];
  return events.map(([e, d]) => `event: ${e}\ndata: ${JSON.stringify(d)}\n\n`).join('');
}

function outputText(setup: ReplaySetup, body: string, cut: number): string {
  const replayed = replay(splitAt(encoder.encode(body), cut), setup);
  expect(replayed.outcome).toBe('complete');
  const parts = replayed.result.output?.[0]?.parts ?? [];
  return parts.map((part) => (part.type === 'text' ? part.content : '')).join('');
}

describe('well-formed streams round-trip at any split', () => {
  it('an OpenAI chat stream gives back its deltas and its bytes', () => {
    fc.assert(
      fc.property(fc.array(textPiece, { minLength: 1, maxLength: 10 }), fc.nat(), (pieces, cut) => {
        const body = openaiChatStream(pieces);
        expect(outputText({ accumulator: new OpenAIChatStreamAccumulator() }, body, cut)).toBe(
          pieces.join(''),
        );
        const bytes = replay(splitAt(encoder.encode(body), cut), {
          accumulator: new OpenAIChatStreamAccumulator(),
        });
        expect(bytes.text).toBe(body);
      }),
      { numRuns: 200 },
    );
  });

  it('an Anthropic stream gives back its deltas', () => {
    fc.assert(
      fc.property(fc.array(textPiece, { minLength: 1, maxLength: 10 }), fc.nat(), (pieces, cut) => {
        const body = anthropicStream(pieces);
        expect(outputText({ accumulator: new AnthropicStreamAccumulator() }, body, cut)).toBe(
          pieces.join(''),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('chat → anthropic → chat translation keeps the text', () => {
    fc.assert(
      fc.property(fc.array(textPiece, { minLength: 1, maxLength: 10 }), fc.nat(), (pieces, cut) => {
        const asAnthropic = replay(splitAt(encoder.encode(openaiChatStream(pieces)), cut), {
          accumulator: new OpenAIChatStreamAccumulator(),
          translator: new ChatToAnthropicStream(),
        }).text;
        expect(outputText({ accumulator: new AnthropicStreamAccumulator() }, asAnthropic, 0)).toBe(
          pieces.join(''),
        );
        const backToChat = replay([encoder.encode(asAnthropic)], {
          accumulator: new AnthropicStreamAccumulator(),
          translator: new AnthropicToChatStream(false),
        }).text;
        expect(outputText({ accumulator: new OpenAIChatStreamAccumulator() }, backToChat, 0)).toBe(
          pieces.join(''),
        );
      }),
      { numRuns: 200 },
    );
  });
});
