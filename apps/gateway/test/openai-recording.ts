/**
 * A recorded OpenAI Chat Completions stream (a comment, text with multi-byte characters, a
 * tool call whose name and arguments arrive in pieces, the usage-only chunk, `[DONE]`), shared
 * by the chat accumulator and the chat-to-Anthropic translator tests.
 */

const data = (value: object): string => `data: ${JSON.stringify(value)}\n\n`;
const chunk = (delta: object, finish: string | null = null): string =>
  data({
    id: 'chatcmpl-9',
    model: 'gpt-4o',
    choices: [{ index: 0, delta, finish_reason: finish }],
  });

/** The recorded stream. */
export const OPENAI_CHAT_STREAM = [
  ': keep-alive\n\n',
  chunk({ role: 'assistant', content: '' }),
  chunk({ content: 'Héllo ' }),
  chunk({ content: 'wörld 👋' }),
  chunk({
    tool_calls: [{ index: 0, id: 'call_7', function: { name: 'get_', arguments: '' } }],
  }),
  chunk({ tool_calls: [{ index: 0, function: { name: 'weather', arguments: '{"city":' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '"Oslo"}' } }] }),
  chunk({}, 'tool_calls'),
  data({
    id: 'chatcmpl-9',
    choices: [],
    usage: { prompt_tokens: 12, completion_tokens: 8, prompt_tokens_details: { cached_tokens: 2 } },
  }),
  'data: [DONE]\n\n',
].join('');
