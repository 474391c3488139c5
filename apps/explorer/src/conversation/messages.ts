/**
 * Captured GenAI messages (`gen_ai.input.messages`, `gen_ai.output.messages`,
 * `gen_ai.system_instructions`) for the conversation view. The parsing is trace-core's
 * (`@to11/trace-core/genai-view/messages`, bundled for the browser): one parser for the server's
 * GenAI view and this page, reading semconv parts (what the gateway writes), OpenAI chat,
 * OpenAI Responses items and Anthropic Messages. This module adds what only the page needs: the
 * attribute may be a JSON string, a parsed value, or text that is no longer JSON (a capture cut
 * by the size limit ends in `…[truncated]`), and values are pretty-printed for display.
 * Spans of other conventions (OpenInference `llm.input_messages.N.*`, the AI SDK's `ai.prompt`,
 * Langfuse, the older `gen_ai.prompt.N.*` and the semconv's message events) are read through
 * trace-core's GenAI view (`@to11/trace-core/genai-view`), the same one the store fills its
 * columns with.
 */
import { type GenAiEvent, genAiMessages } from '@to11/trace-core/genai-view';
import {
  type GenAiMessage,
  type GenAiPart,
  messagesOf,
  partsOf,
} from '@to11/trace-core/genai-view/messages';

export type { GenAiMessage, GenAiPart };

/** The part of a span the conversation is read from. */
interface MessageSource {
  attributes: Record<string, unknown>;
  events?: readonly GenAiEvent[];
}

/** A value shown as text: strings as they are, JSON pretty-printed (a JSON string parsed first). */
export function prettyJson(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2) ?? String(value);
}

/** A tool result as text: a string as it is, a list of text blocks joined, anything else as JSON. */
export function resultText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    return value
      .map((item) => {
        const text = (item as { text?: unknown } | null)?.text;
        return typeof text === 'string' ? text : prettyJson(item);
      })
      .join('\n');
  }
  return prettyJson(value);
}

type Captured =
  | { status: 'empty' }
  | { status: 'json'; value: unknown }
  | { status: 'text'; text: string };

function parseCaptured(value: unknown): Captured {
  if (value === undefined || value === null || value === '') return { status: 'empty' };
  if (typeof value !== 'string') return { status: 'json', value };
  try {
    return { status: 'json', value: JSON.parse(value) };
  } catch {
    return { status: 'text', text: value };
  }
}

/** Parses a captured attribute into messages; an unreadable value becomes one text message. */
export function conversationOf(value: unknown, defaultRole = 'assistant'): GenAiMessage[] {
  const captured = parseCaptured(value);
  if (captured.status === 'empty') return [];
  if (captured.status === 'text') {
    return [{ role: defaultRole, parts: [{ type: 'text', content: captured.text }] }];
  }
  return messagesOf(captured.value, defaultRole) ?? [];
}

/** System instructions (`gen_ai.system_instructions`: an array of parts) as one system message. */
export function systemInstructionsOf(value: unknown): GenAiMessage[] {
  const captured = parseCaptured(value);
  if (captured.status === 'empty') return [];
  const parts =
    captured.status === 'text'
      ? [{ type: 'text' as const, content: captured.text }]
      : partsOf(captured.value);
  return parts.length === 0 ? [] : [{ role: 'system', parts }];
}

/** A span's conversation: system instructions, input and output messages. */
export interface SpanMessages {
  system: GenAiMessage[];
  input: GenAiMessage[];
  output: GenAiMessage[];
}

/**
 * The conversation of a span in any convention: the semconv attributes the gateway writes
 * first (`gen_ai.system_instructions`, `gen_ai.input.messages`, `gen_ai.output.messages`), then,
 * for what they do not hold, whatever trace-core's GenAI view reads from the span's other
 * attributes and its events.
 */
export function spanMessages(span: MessageSource): SpanMessages {
  const system = systemInstructionsOf(span.attributes['gen_ai.system_instructions']);
  let input = conversationOf(span.attributes['gen_ai.input.messages'], 'user');
  let output = conversationOf(span.attributes['gen_ai.output.messages'], 'assistant');
  if (input.length === 0 || output.length === 0) {
    const read = genAiMessages(
      span.attributes as Parameters<typeof genAiMessages>[0],
      span.events ?? [],
    );
    if (input.length === 0) input = read.input ?? [];
    if (output.length === 0) output = read.output ?? [];
  }
  return { system, input, output };
}
