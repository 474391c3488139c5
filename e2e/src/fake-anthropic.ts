/**
 * Anthropic Messages wire format for the fake provider: a complete message and the streamed
 * events (https://docs.anthropic.com/en/api/messages-streaming).
 */
import { ANSWER_WORDS, FAKE_USAGE } from './fake-openai.ts';

/** A non-streamed `message` answering with the full text. */
export function anthropicMessage(model: string): Record<string, unknown> {
  return {
    id: 'msg_fake_1',
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'text', text: ANSWER_WORDS.join('') }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: FAKE_USAGE.input, output_tokens: FAKE_USAGE.output },
  };
}

/** The named SSE events of a streamed message, in order. */
export function anthropicStreamEvents(model: string): { event: string; data: unknown }[] {
  const message = { ...anthropicMessage(model), content: [], stop_reason: null };
  return [
    {
      event: 'message_start',
      data: {
        type: 'message_start',
        message: { ...message, usage: { input_tokens: FAKE_USAGE.input, output_tokens: 1 } },
      },
    },
    {
      event: 'content_block_start',
      data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    },
    { event: 'ping', data: { type: 'ping' } },
    ...ANSWER_WORDS.map((text) => ({
      event: 'content_block_delta',
      data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } },
    })),
    { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
    {
      event: 'message_delta',
      data: {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { output_tokens: FAKE_USAGE.output },
      },
    },
    { event: 'message_stop', data: { type: 'message_stop' } },
  ];
}
