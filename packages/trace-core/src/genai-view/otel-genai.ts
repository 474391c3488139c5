/**
 * The OTel GenAI semantic conventions, current (`gen_ai.provider.name`, `gen_ai.input.messages`)
 * and older (`gen_ai.system`, `gen_ai.usage.prompt_tokens`, indexed `gen_ai.prompt.N.*` /
 * `gen_ai.completion.N.*`, as OpenLLMetry still writes them). The gateway's own spans speak it.
 */
import { type Convention, hasAny } from './convention.ts';
import { messagesOf } from './messages.ts';
import { nestedUnder } from './nested.ts';
import { cost, parsedJson, text, tokens } from './read.ts';

const MARKERS = [
  'gen_ai.operation.name',
  'gen_ai.provider.name',
  'gen_ai.system',
  'gen_ai.request.model',
];

/** OTel GenAI semconv. */
export const otelGenAi: Convention = {
  name: 'gen_ai',
  marks: (attributes) => hasAny(attributes, MARKERS),
  fields: {
    operation: text('gen_ai.operation.name'),
    provider: text('gen_ai.provider.name', 'gen_ai.system'),
    requestModel: text('gen_ai.request.model'),
    responseModel: text('gen_ai.response.model'),
    inputTokens: tokens('gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens'),
    outputTokens: tokens('gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens'),
    cacheReadInputTokens: tokens('gen_ai.usage.cache_read_input_tokens'),
    cacheCreationInputTokens: tokens('gen_ai.usage.cache_creation_input_tokens'),
    cost: cost('gen_ai.usage.cost'),
    // `session.id` / `user.id` are the general OTel names; any span may carry them.
    sessionId: text('gen_ai.session.id', 'session.id'),
    userId: text('gen_ai.user.id', 'user.id'),
  },
  inputMessages: (attributes) =>
    messagesOf(parsedJson(attributes, 'gen_ai.input.messages')) ??
    messagesOf(nestedUnder(attributes, 'gen_ai.prompt')),
  outputMessages: (attributes) =>
    messagesOf(parsedJson(attributes, 'gen_ai.output.messages')) ??
    messagesOf(nestedUnder(attributes, 'gen_ai.completion')),
};
