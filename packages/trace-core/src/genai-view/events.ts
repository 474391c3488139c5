/**
 * Messages recorded as span events, the forms the OTel GenAI semconv has used before (and
 * instrumentations still write) instead of message attributes:
 * - one event per message: `gen_ai.system.message`, `gen_ai.user.message`,
 *   `gen_ai.assistant.message`, `gen_ai.tool.message` (input) and `gen_ai.choice` (output), the
 *   event's body in a `body` / `event.body` attribute (JSON or an object) or flattened into its
 *   attributes (`content`, `role`, `tool_calls.0.function.name`, `message.content`, …);
 * - `gen_ai.content.prompt` / `gen_ai.content.completion` with the messages as JSON in
 *   `gen_ai.prompt` / `gen_ai.completion` (semconv 1.26);
 * - `gen_ai.client.inference.operation.details` with `gen_ai.input.messages` /
 *   `gen_ai.output.messages` (the current event form).
 */
import type { Attributes } from '../span-model.ts';
import { type GenAiMessage, messageOf, messagesOf } from './messages.ts';
import { nestedUnder } from './nested.ts';

/** The part of a span event this reads. */
export interface GenAiEvent {
  name: string;
  attributes: Attributes;
}

/** The role of each per-message input event. */
const INPUT_ROLES: Record<string, string> = {
  'gen_ai.system.message': 'system',
  'gen_ai.user.message': 'user',
  'gen_ai.assistant.message': 'assistant',
  'gen_ai.tool.message': 'tool',
};

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value that may be a JSON object or array as text, parsed; anything else as it is. */
function jsonValue(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null;
  if (!/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** An event's body: the `body` attribute, else its attributes unflattened (minus `gen_ai.*`). */
function bodyOf(attributes: Attributes): Json {
  const body = jsonValue(attributes.body ?? attributes['event.body']);
  if (isObject(body)) return body;
  if (typeof body === 'string') return { content: body };
  const prefixed: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (!key.startsWith('gen_ai.') && key !== 'event.name') prefixed[`body.${key}`] = value;
  }
  const nested = nestedUnder(prefixed, 'body');
  return isObject(nested) ? nested : {};
}

/** One per-message input event as a message. */
function inputMessage(role: string, attributes: Attributes): GenAiMessage | null {
  const body = bodyOf(attributes);
  const message: Json = { ...body, role: body.role ?? role, content: jsonValue(body.content) };
  // A tool message's body names the call it answers `id`.
  if (message.role === 'tool' && message.tool_call_id === undefined) message.tool_call_id = body.id;
  return messageOf(message);
}

/** A `gen_ai.choice` event (`{index, finish_reason, message}`) as an assistant message. */
function choiceMessage(attributes: Attributes): GenAiMessage | null {
  const body = bodyOf(attributes);
  const inner = jsonValue(body.message);
  const message: Json = isObject(inner) ? { ...inner } : { content: body.content ?? inner };
  message.content = jsonValue(message.content);
  message.role ??= 'assistant';
  if (typeof body.finish_reason === 'string') message.finish_reason = body.finish_reason;
  return messageOf(message, 'assistant');
}

/** The input and output messages a span's events carry (null: none of these events). */
export function eventMessages(events: readonly GenAiEvent[]): {
  input: GenAiMessage[] | null;
  output: GenAiMessage[] | null;
} {
  const input: GenAiMessage[] = [];
  const output: GenAiMessage[] = [];
  for (const { name, attributes } of events) {
    const role = INPUT_ROLES[name];
    if (role !== undefined) {
      const message = inputMessage(role, attributes);
      if (message !== null) input.push(message);
    } else if (name === 'gen_ai.choice') {
      const message = choiceMessage(attributes);
      if (message !== null) output.push(message);
    } else if (name === 'gen_ai.content.prompt') {
      input.push(...(messagesOf(jsonValue(attributes['gen_ai.prompt'])) ?? []));
    } else if (name === 'gen_ai.content.completion') {
      output.push(...(messagesOf(jsonValue(attributes['gen_ai.completion']), 'assistant') ?? []));
    } else if (name === 'gen_ai.client.inference.operation.details') {
      input.push(...(messagesOf(jsonValue(attributes['gen_ai.input.messages'])) ?? []));
      output.push(
        ...(messagesOf(jsonValue(attributes['gen_ai.output.messages']), 'assistant') ?? []),
      );
    }
  }
  return {
    input: input.length > 0 ? input : null,
    output: output.length > 0 ? output : null,
  };
}
