/**
 * OpenAI Chat Completions wire format for the fake provider: a complete response and the
 * streamed chunks (https://platform.openai.com/docs/api-reference/chat-streaming).
 */

/** Answer words the fake streams; joined they give `FAKE_ANSWER`. */
export const ANSWER_WORDS = [
  'Hello ',
  'from ',
  'the ',
  'fake ',
  'provider, ',
  'one ',
  'word ',
  'at ',
  'a ',
  'time.',
];

/** Token counts the fake reports in every answer. */
export const FAKE_USAGE = { input: 11, output: ANSWER_WORDS.length } as const;

const created = () => Math.floor(Date.now() / 1000);

/** A non-streamed `chat.completion` answering with the full text. */
export function openaiChatCompletion(model: string): Record<string, unknown> {
  return {
    id: 'chatcmpl-fake-1',
    object: 'chat.completion',
    created: created(),
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: ANSWER_WORDS.join(''), refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: {
      prompt_tokens: FAKE_USAGE.input,
      completion_tokens: FAKE_USAGE.output,
      total_tokens: FAKE_USAGE.input + FAKE_USAGE.output,
    },
  };
}

/**
 * The `chat.completion.chunk` objects of a stream: a role chunk, one chunk per word, a finish
 * chunk, and the usage chunk when the request asked for `stream_options.include_usage`.
 */
export function openaiChatChunks(model: string, includeUsage: boolean): Record<string, unknown>[] {
  const base = {
    id: 'chatcmpl-fake-1',
    object: 'chat.completion.chunk',
    created: created(),
    model,
  };
  const choice = (delta: Record<string, unknown>, finish: string | null) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  const chunks: Record<string, unknown>[] = [
    choice({ role: 'assistant', content: '' }, null),
    ...ANSWER_WORDS.map((word) => choice({ content: word }, null)),
    choice({}, 'stop'),
  ];
  if (includeUsage) {
    chunks.push({
      ...base,
      choices: [],
      usage: {
        prompt_tokens: FAKE_USAGE.input,
        completion_tokens: FAKE_USAGE.output,
        total_tokens: FAKE_USAGE.input + FAKE_USAGE.output,
      },
    });
  }
  return chunks;
}
