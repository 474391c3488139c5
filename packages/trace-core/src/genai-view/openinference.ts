/**
 * Arize OpenInference (`@arizeai/openinference-*` instrumentations, Phoenix): `llm.*`,
 * `openinference.span.kind`, messages flattened as `llm.input_messages.N.message.*`.
 * Names from `@arizeai/openinference-semantic-conventions` 2.12.
 */
import type { Attributes } from '../span-model.ts';
import { type Convention, hasAny } from './convention.ts';
import { type GenAiMessage, messagesOf } from './messages.ts';
import { nestedUnder } from './nested.ts';
import { cost, either, jsonField, mapped, text, tokens } from './read.ts';

const MARKERS = ['openinference.span.kind', 'llm.model_name', 'llm.token_count.prompt'];

const OPERATIONS = {
  llm: 'chat',
  embedding: 'embeddings',
  tool: 'execute_tool',
  agent: 'invoke_agent',
};

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json =>
  typeof value === 'object' && value !== null ? (value as Json) : {};

/** `{message: {role, content, contents, tool_calls}}` into an OpenAI-like message. */
function chatLike(item: unknown): unknown {
  const message = asObject(asObject(item).message);
  const contents = Array.isArray(message.contents)
    ? message.contents.map((entry) => {
        const content = asObject(asObject(entry).message_content);
        return content.type === 'image' ? { type: 'image' } : { type: 'text', text: content.text };
      })
    : undefined;
  const toolCalls = Array.isArray(message.tool_calls)
    ? message.tool_calls.map((entry) => asObject(asObject(entry).tool_call))
    : undefined;
  return {
    role: message.role,
    content: message.content ?? contents,
    tool_calls: toolCalls,
    tool_call_id: message.tool_call_id,
  };
}

function messagesUnder(attributes: Attributes, prefix: string): GenAiMessage[] | null {
  const items = nestedUnder(attributes, prefix);
  return Array.isArray(items) ? messagesOf(items.map(chatLike)) : null;
}

/** OpenInference. */
export const openInference: Convention = {
  name: 'openinference',
  marks: (attributes) => hasAny(attributes, MARKERS),
  fields: {
    operation: mapped('openinference.span.kind', OPERATIONS),
    provider: text('llm.provider', 'llm.system'),
    // `llm.model_name` is what the provider answered; the request's model is in the parameters.
    requestModel: either(
      text('llm.request.model_name'),
      jsonField('llm.invocation_parameters', ['model'], (value) =>
        typeof value === 'string' && value !== '' ? value : null,
      ),
      text('llm.model_name', 'embedding.model_name'),
    ),
    responseModel: text('llm.response.model_name', 'llm.model_name'),
    inputTokens: tokens('llm.token_count.prompt'),
    outputTokens: tokens('llm.token_count.completion'),
    cacheReadInputTokens: tokens('llm.token_count.prompt_details.cache_read'),
    cacheCreationInputTokens: tokens('llm.token_count.prompt_details.cache_write'),
    cost: cost('llm.cost.total'),
    sessionId: text('session.id'),
    userId: text('user.id'),
  },
  inputMessages: (attributes) => messagesUnder(attributes, 'llm.input_messages'),
  outputMessages: (attributes) => messagesUnder(attributes, 'llm.output_messages'),
};
