/**
 * The demo provider's canned answers, in the OpenAI (chat completions, embeddings) and the
 * Anthropic (messages) wire formats, streamed or not. Token counts are estimated from the
 * request (about four characters a token), so spans show plausible, non-zero usage.
 */

/** The text of every demo answer; streams send it word by word. */
export const DEMO_ANSWER =
  'Hello from the to11 demo provider. This answer is canned: no model was called.';

/** The answer split into the pieces a stream sends (each word with its trailing space). */
export const DEMO_PIECES: readonly string[] = DEMO_ANSWER.match(/\S+\s*/g) ?? [DEMO_ANSWER];

const OUTPUT_TOKENS = DEMO_PIECES.length;
const EMBEDDING_SIZE = 8;

/** A rough token count of whatever the caller sent. */
export function estimateTokens(value: unknown): number {
  return Math.max(1, Math.ceil(JSON.stringify(value ?? '').length / 4));
}

type Json = Record<string, unknown>;

function openaiUsage(inputTokens: number): Json {
  return {
    prompt_tokens: inputTokens,
    completion_tokens: OUTPUT_TOKENS,
    total_tokens: inputTokens + OUTPUT_TOKENS,
  };
}

/** `POST /v1/chat/completions` without `stream`. */
export function chatCompletion(model: string, inputTokens: number): Json {
  return {
    id: 'chatcmpl-to11-demo',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: DEMO_ANSWER, refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: openaiUsage(inputTokens),
  };
}

/**
 * The `data:` payloads of a streamed chat completion: a role chunk, one chunk per piece, the
 * finish chunk, the usage chunk when `stream_options.include_usage` asked for it, `[DONE]`.
 */
export function chatCompletionChunks(
  model: string,
  inputTokens: number,
  includeUsage: boolean,
): string[] {
  const head = {
    id: 'chatcmpl-to11-demo',
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model,
  };
  const deltas: [Json, string | null][] = [
    [{ role: 'assistant', content: '' }, null],
    ...DEMO_PIECES.map((content): [Json, null] => [{ content }, null]),
    [{}, 'stop'],
  ];
  const chunks: Json[] = deltas.map(([delta, finish]) => ({
    ...head,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  }));
  if (includeUsage) chunks.push({ ...head, choices: [], usage: openaiUsage(inputTokens) });
  return [...chunks.map((chunk) => JSON.stringify(chunk)), '[DONE]'];
}

/**
 * `POST /v1/embeddings`: one small deterministic unit vector per input, as a float array or, for
 * `encoding_format: "base64"` (the OpenAI SDK's default), little-endian float32 bytes in base64.
 */
export function embeddings(model: string, input: unknown, encoding: unknown): Json {
  const inputs = Array.isArray(input) ? input : [input];
  const data = inputs.map((item, index) => {
    const text = JSON.stringify(item ?? '');
    const raw = Array.from({ length: EMBEDDING_SIZE }, (_, i) => {
      const code = text.charCodeAt(i % Math.max(1, text.length)) || 1;
      return Math.sin(code * (i + 1));
    });
    const norm = Math.hypot(...raw) || 1;
    const vector = raw.map((value) => value / norm);
    const embedding =
      encoding === 'base64'
        ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
        : vector;
    return { object: 'embedding', index, embedding };
  });
  const tokens = estimateTokens(input);
  return {
    object: 'list',
    data,
    model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

/** `POST /v1/messages` without `stream`. */
export function anthropicMessage(model: string, inputTokens: number): Json {
  return {
    id: 'msg_to11_demo',
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'text', text: DEMO_ANSWER }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: inputTokens, output_tokens: OUTPUT_TOKENS },
  };
}

/** The named SSE events of a streamed `POST /v1/messages`, in the order Anthropic sends them. */
export function anthropicEvents(model: string, inputTokens: number): [string, Json][] {
  const start = {
    ...anthropicMessage(model, inputTokens),
    content: [],
    stop_reason: null,
    usage: { input_tokens: inputTokens, output_tokens: 1 },
  };
  const text = (piece: string): [string, Json] => [
    'content_block_delta',
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: piece } },
  ];
  return [
    ['message_start', { type: 'message_start', message: start }],
    [
      'content_block_start',
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    ],
    ...DEMO_PIECES.map(text),
    ['content_block_stop', { type: 'content_block_stop', index: 0 }],
    [
      'message_delta',
      {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { output_tokens: OUTPUT_TOKENS },
      },
    ],
    ['message_stop', { type: 'message_stop' }],
  ];
}
