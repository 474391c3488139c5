/**
 * The Langfuse SDK's OTel spans (`@langfuse/otel` 5): `langfuse.observation.*`, usage and cost
 * as JSON objects, input and output as JSON of whatever the app passed (usually SDK messages).
 */
import type { Attributes } from '../span-model.ts';
import { type Convention, hasAny } from './convention.ts';
import { type GenAiMessage, messagesOf } from './messages.ts';
import { jsonField, mapped, parsedJson, text, toCost, toTokens } from './read.ts';

const MARKERS = ['langfuse.observation.type'];
const USAGE = 'langfuse.observation.usage_details';

function messagesIn(attributes: Attributes, name: string, role: string): GenAiMessage[] | null {
  const parsed = parsedJson(attributes, name);
  if (parsed !== null) return messagesOf(parsed);
  const raw = attributes[name];
  return typeof raw === 'string' && raw !== ''
    ? [{ role, parts: [{ type: 'text', content: raw }] }]
    : null;
}

/** Langfuse. */
export const langfuse: Convention = {
  name: 'langfuse',
  marks: (attributes) => hasAny(attributes, MARKERS),
  fields: {
    operation: mapped('langfuse.observation.type', {
      generation: 'chat',
      embedding: 'embeddings',
      tool: 'execute_tool',
      agent: 'invoke_agent',
    }),
    requestModel: text('langfuse.observation.model.name'),
    inputTokens: jsonField(USAGE, ['input', 'prompt_tokens', 'input_tokens'], toTokens),
    outputTokens: jsonField(USAGE, ['output', 'completion_tokens', 'output_tokens'], toTokens),
    cacheReadInputTokens: jsonField(
      USAGE,
      ['input_cached_tokens', 'cache_read_input_tokens'],
      toTokens,
    ),
    cost: jsonField('langfuse.observation.cost_details', ['total'], toCost),
    sessionId: text('langfuse.session.id'),
    userId: text('langfuse.user.id'),
  },
  inputMessages: (attributes) => messagesIn(attributes, 'langfuse.observation.input', 'user'),
  outputMessages: (attributes) =>
    messagesIn(attributes, 'langfuse.observation.output', 'assistant'),
};
