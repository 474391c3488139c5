/**
 * The Vercel AI SDK's `experimental_telemetry` (`ai` 5 and 6): `ai.*` on every span, plus
 * `gen_ai.*` on the provider-call spans (`ai.generateText.doGenerate`, …), which the OTel GenAI
 * table reads first. The outer span (`ai.generateText`) carries the usage of all its steps.
 */
import type { Attributes } from '../span-model.ts';
import { type Convention, hasAny } from './convention.ts';
import { type GenAiMessage, type GenAiPart, messageOf, messagesOf } from './messages.ts';
import { mapped, parsedJson, text, tokens } from './read.ts';

const MARKERS = ['ai.operationId', 'ai.model.provider'];

// `ai.operationId` values, lower-cased (see `mapped`).
const OPERATIONS: Record<string, string> = {};
for (const id of ['generateText', 'streamText']) {
  for (const suffix of ['', '.doGenerate', '.doStream'])
    OPERATIONS[`ai.${id}${suffix}`.toLowerCase()] = 'chat';
}
for (const id of ['generateObject', 'streamObject']) {
  for (const suffix of ['', '.doGenerate', '.doStream']) {
    OPERATIONS[`ai.${id}${suffix}`.toLowerCase()] = 'generate_content';
  }
}
for (const id of ['ai.embed', 'ai.embed.doEmbed', 'ai.embedMany', 'ai.embedMany.doEmbed']) {
  OPERATIONS[id.toLowerCase()] = 'embeddings';
}
OPERATIONS['ai.toolcall'] = 'execute_tool';

function inputMessages(attributes: Attributes): GenAiMessage[] | null {
  const messages = messagesOf(parsedJson(attributes, 'ai.prompt.messages'));
  if (messages) return messages;
  // The outer span: `ai.prompt` is `{system?, prompt?, messages?}`.
  const prompt = parsedJson(attributes, 'ai.prompt') as Record<string, unknown> | null;
  if (prompt === null || typeof prompt !== 'object') return null;
  const list: GenAiMessage[] = [];
  if (typeof prompt.system === 'string') {
    list.push({ role: 'system', parts: [{ type: 'text', content: prompt.system }] });
  }
  const rest = messagesOf(prompt.messages ?? prompt.prompt ?? null);
  if (rest) list.push(...rest);
  return list.length > 0 ? list : null;
}

function outputMessages(attributes: Attributes): GenAiMessage[] | null {
  const parts: GenAiPart[] = [];
  const answer = attributes['ai.response.text'];
  if (typeof answer === 'string' && answer !== '') parts.push({ type: 'text', content: answer });
  const calls = parsedJson(attributes, 'ai.response.toolCalls');
  if (Array.isArray(calls)) {
    parts.push(
      ...(messageOf({
        role: 'assistant',
        content: calls.map((call) => ({ type: 'tool-call', ...call })),
      })?.parts ?? []),
    );
  }
  if (parts.length === 0) return null;
  const finish = attributes['ai.response.finishReason'];
  return [
    typeof finish === 'string'
      ? { role: 'assistant', parts, finish_reason: finish }
      : { role: 'assistant', parts },
  ];
}

/** Vercel AI SDK. */
export const vercelAi: Convention = {
  name: 'vercel_ai',
  marks: (attributes) => hasAny(attributes, MARKERS),
  fields: {
    operation: mapped('ai.operationId', OPERATIONS),
    provider: text('ai.model.provider'),
    requestModel: text('ai.model.id'),
    responseModel: text('ai.response.model'),
    inputTokens: tokens('ai.usage.inputTokens', 'ai.usage.promptTokens'),
    outputTokens: tokens('ai.usage.outputTokens', 'ai.usage.completionTokens'),
    cacheReadInputTokens: tokens(
      'ai.usage.inputTokenDetails.cacheReadTokens',
      'ai.usage.cachedInputTokens',
    ),
    cacheCreationInputTokens: tokens('ai.usage.inputTokenDetails.cacheWriteTokens'),
    sessionId: text('ai.telemetry.metadata.sessionId', 'ai.telemetry.metadata.session_id'),
    userId: text('ai.telemetry.metadata.userId', 'ai.telemetry.metadata.user_id'),
  },
  inputMessages,
  outputMessages,
};
