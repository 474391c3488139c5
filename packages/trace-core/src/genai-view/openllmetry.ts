/**
 * Traceloop's OpenLLMetry (`@traceloop/node-server-sdk`): older GenAI names (read by the OTel
 * GenAI table) plus `llm.request.type`, `llm.usage.*` and `traceloop.*`. Names from
 * `@traceloop/ai-semantic-conventions` 0.27.
 */
import { type Convention, hasAny } from './convention.ts';
import { either, mapped, text, tokens } from './read.ts';

const MARKERS = ['llm.request.type', 'traceloop.span.kind', 'llm.usage.total_tokens'];

const PROPERTIES = 'traceloop.association.properties';

/** OpenLLMetry. */
export const openLlmetry: Convention = {
  name: 'openllmetry',
  marks: (attributes) => hasAny(attributes, MARKERS),
  fields: {
    operation: either(
      mapped('llm.request.type', {
        chat: 'chat',
        completion: 'text_completion',
        embedding: 'embeddings',
      }),
      mapped('traceloop.span.kind', { tool: 'execute_tool', agent: 'invoke_agent' }),
    ),
    inputTokens: tokens('llm.usage.prompt_tokens'),
    outputTokens: tokens('llm.usage.completion_tokens'),
    sessionId: text(`${PROPERTIES}.session_id`, `${PROPERTIES}.sessionId`),
    userId: text(`${PROPERTIES}.user_id`, `${PROPERTIES}.userId`),
  },
};
