/**
 * fast-check arbitraries of hostile wire input for the gateway's readers: JSON objects whose
 * keys are the field names the readers look at (so the fuzz reaches past the first type check)
 * and whose values are of any JSON type, SSE bodies of such events, and chunk splits. Used by
 * the property tests in `src/wire/` and by `bench/fuzz.ts`.
 */
import fc from 'fast-check';

/** Field names the request, response and stream readers read. */
export const WIRE_KEYS = [
  'arguments',
  'cache_creation_input_tokens',
  'cache_read_input_tokens',
  'call_id',
  'choices',
  'completion_tokens',
  'completion_tokens_details',
  'content',
  'content_block',
  'delta',
  'dimensions',
  'encoding_format',
  'error',
  'file_id',
  'finish_reason',
  'frequency_penalty',
  'function',
  'functions',
  'id',
  'image_url',
  'index',
  'input',
  'input_audio',
  'input_tokens',
  'instructions',
  'item',
  'max_completion_tokens',
  'max_output_tokens',
  'max_tokens',
  'message',
  'messages',
  'metadata',
  'model',
  'n',
  'name',
  'output',
  'output_text',
  'output_tokens',
  'partial_json',
  'presence_penalty',
  'prompt_tokens',
  'reasoning',
  'reasoning_content',
  'refusal',
  'response',
  'response_format',
  'role',
  'seed',
  'source',
  'stop',
  'stop_reason',
  'stop_sequences',
  'stream',
  'stream_options',
  'summary',
  'system',
  'temperature',
  'text',
  'thinking',
  'tool_call_id',
  'tool_calls',
  'tool_choice',
  'tool_use_id',
  'tools',
  'top_k',
  'top_p',
  'type',
  'usage',
  'user',
] as const;

/** String values the readers switch on (roles, part and event types). */
export const WIRE_WORDS = [
  'assistant',
  'content_block_delta',
  'content_block_start',
  'content_block_stop',
  'developer',
  'document',
  'error',
  'function',
  'function_call',
  'function_call_output',
  'image',
  'image_url',
  'input_audio',
  'input_image',
  'input_text',
  'json_schema',
  'message',
  'message_delta',
  'message_start',
  'message_stop',
  'output_text',
  'reasoning',
  'response.completed',
  'response.created',
  'response.failed',
  'response.function_call_arguments.delta',
  'response.incomplete',
  'response.output_item.added',
  'response.output_item.done',
  'response.output_text.delta',
  'signature_delta',
  'system',
  'text',
  'text_delta',
  'thinking',
  'tool',
  'tool_result',
  'tool_use',
  'user',
  'data:image/png;base64,AAAA',
  '[DONE]',
] as const;

const leaf = fc.oneof(
  fc.constantFrom(...WIRE_WORDS),
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(-1, 0, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, 1e308, -1e308),
);

/** A JSON value shaped like wire JSON: objects keyed by {@link WIRE_KEYS}, any types inside. */
export const wireValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.dictionary(fc.constantFrom(...WIRE_KEYS), tie('value'), { maxKeys: 6 }),
    fc.array(tie('value'), { maxLength: 4 }),
  ),
})).value;

/** A JSON object shaped like a request or response body. */
export const wireObject: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(
  fc.constantFrom(...WIRE_KEYS),
  wireValue,
  { maxKeys: 10 },
);

/** One SSE event: a known event name or none, and data that is mostly a wire object. */
export const hostileEvent = fc.record({
  event: fc.option(fc.constantFrom(...WIRE_WORDS), { nil: undefined }),
  data: fc.oneof(
    fc
      .tuple(fc.constantFrom(...WIRE_WORDS), wireObject)
      .map(([type, body]) => JSON.stringify({ type, ...body })),
    fc.constant('[DONE]'),
    fc.string({ maxLength: 40 }),
  ),
});

/** An SSE body of `events` (data lines split on newlines as the format requires). */
export function sseBody(
  events: ReadonlyArray<{ event?: string | undefined; data: string }>,
): string {
  return events
    .map(({ event, data }) => {
      const head = event ? `event: ${event}\n` : '';
      return `${head}${data
        .split(/\r\n|\r|\n/)
        .map((line) => `data: ${line}\n`)
        .join('')}\n`;
    })
    .join('');
}

/** `bytes` as two chunks split at `cut` modulo its length (one chunk when empty). */
export function splitAt(bytes: Uint8Array, cut: number): Uint8Array[] {
  if (bytes.length === 0) return [bytes];
  const at = cut % bytes.length;
  return [bytes.subarray(0, at), bytes.subarray(at)];
}
