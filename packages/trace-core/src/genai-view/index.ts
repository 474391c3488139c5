/**
 * One normalised view of an LLM span, whoever wrote it (the gateway, the Vercel AI SDK,
 * OpenInference, OpenLLMetry, Langfuse). Each field is taken from the first convention that has
 * it, in the order of {@link CONVENTIONS}; the OTel GenAI names come first, so a span that
 * carries both (the AI SDK's provider-call spans) reads as the standard says. The attributes
 * themselves are never changed: this is how the store fills its GenAI columns and how a reader
 * shows messages.
 */
import type { Attributes } from '../span-model.ts';
import type { Convention, ConventionName, GenAiFields } from './convention.ts';
import { eventMessages, type GenAiEvent } from './events.ts';
import { langfuse } from './langfuse.ts';
import type { GenAiMessage } from './messages.ts';
import { openInference } from './openinference.ts';
import { openLlmetry } from './openllmetry.ts';
import { otelGenAi } from './otel-genai.ts';
import { normalizeProvider } from './provider.ts';
import { vercelAi } from './vercel-ai.ts';

export type { ConventionName, GenAiFields } from './convention.ts';
export type { GenAiEvent } from './events.ts';
export type { GenAiMessage, GenAiPart } from './messages.ts';
export { normalizeProvider } from './provider.ts';

/** Every convention, in the order its values are taken. */
export const CONVENTIONS: readonly Convention[] = [
  otelGenAi,
  openInference,
  vercelAi,
  openLlmetry,
  langfuse,
];

/** The normalised fields of a span and the library convention it speaks (null: none). */
export interface GenAiView extends GenAiFields {
  convention: ConventionName | null;
}

/** The conventions a span speaks; the OTel GenAI table is always read. */
function spoken(attributes: Attributes): Convention[] {
  const list = [otelGenAi];
  for (let i = 1; i < CONVENTIONS.length; i++) {
    const convention = CONVENTIONS[i] as Convention;
    if (convention.marks(attributes)) list.push(convention);
  }
  return list;
}

/** The first value of `field` among `conventions`. */
function first<K extends keyof GenAiFields>(
  conventions: Convention[],
  field: K,
  attributes: Attributes,
): GenAiFields[K] {
  for (const convention of conventions) {
    const value = convention.fields[field]?.(attributes);
    if (value !== null && value !== undefined) return value;
  }
  return null;
}

/** The normalised GenAI fields of one span's attributes. */
export function genAiView(attributes: Attributes): GenAiView {
  const conventions = spoken(attributes);
  let provider = first(conventions, 'provider', attributes);
  // Normalised to the semconv names (`openai.chat` → `openai`). A plain name in
  // `gen_ai.provider.name` is kept as written: the gateway writes its provider ids there, and a
  // provider the user named `azure` stays `azure`.
  const declared = provider !== null && provider === attributes['gen_ai.provider.name'];
  if (provider !== null && (!declared || provider.includes('.'))) {
    provider = normalizeProvider(provider);
  }
  const inputTokens = first(conventions, 'inputTokens', attributes);
  return {
    convention:
      conventions[1]?.name ??
      (otelGenAi.marks(attributes) || inputTokens !== null ? 'gen_ai' : null),
    operation: first(conventions, 'operation', attributes),
    provider,
    requestModel: first(conventions, 'requestModel', attributes),
    responseModel: first(conventions, 'responseModel', attributes),
    inputTokens,
    outputTokens: first(conventions, 'outputTokens', attributes),
    cacheReadInputTokens: first(conventions, 'cacheReadInputTokens', attributes),
    cacheCreationInputTokens: first(conventions, 'cacheCreationInputTokens', attributes),
    cost: first(conventions, 'cost', attributes),
    sessionId: first(conventions, 'sessionId', attributes),
    userId: first(conventions, 'userId', attributes),
  };
}

/**
 * The input and output messages of a span, in the OTel GenAI message shape: from its attributes
 * in any convention, else from its events (the semconv's event forms, events.ts).
 */
export function genAiMessages(
  attributes: Attributes,
  events: readonly GenAiEvent[] = [],
): {
  input: GenAiMessage[] | null;
  output: GenAiMessage[] | null;
} {
  let input: GenAiMessage[] | null = null;
  let output: GenAiMessage[] | null = null;
  for (const convention of spoken(attributes)) {
    input ??= convention.inputMessages?.(attributes) ?? null;
    output ??= convention.outputMessages?.(attributes) ?? null;
  }
  if ((input === null || output === null) && events.length > 0) {
    const fromEvents = eventMessages(events);
    input ??= fromEvents.input;
    output ??= fromEvents.output;
  }
  return { input, output };
}
