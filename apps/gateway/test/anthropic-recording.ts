/**
 * A recorded Anthropic Messages event stream (text with multi-byte characters, a tool_use
 * block whose input arrives in pieces, usage in message_start and message_delta), shared by
 * the Anthropic accumulator and the Anthropic-to-chat translator tests.
 */

const event = (type: string, data: object): string =>
  `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

/** The recorded stream. */
export const ANTHROPIC_STREAM = [
  event('message_start', {
    message: {
      id: 'msg_01',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [],
      usage: { input_tokens: 20, output_tokens: 1, cache_read_input_tokens: 4 },
    },
  }),
  event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
  event('ping', {}),
  event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Grüß ' } }),
  event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'dich 🌍' } }),
  event('content_block_stop', { index: 0 }),
  event('content_block_start', {
    index: 1,
    content_block: { type: 'tool_use', id: 'toolu_9', name: 'lookup', input: {} },
  }),
  event('content_block_delta', {
    index: 1,
    delta: { type: 'input_json_delta', partial_json: '{"term":' },
  }),
  event('content_block_delta', {
    index: 1,
    delta: { type: 'input_json_delta', partial_json: '"Straße"}' },
  }),
  event('content_block_stop', { index: 1 }),
  event('message_delta', {
    delta: { stop_reason: 'tool_use', stop_sequence: null },
    usage: { output_tokens: 15 },
  }),
  event('message_stop', {}),
].join('');
