/**
 * Building blocks of the chat-like formats' telemetry (OpenAI Chat Completions and Responses,
 * Anthropic Messages): optional attributes, the request telemetry they all return, and the
 * tool calls of an answer's message parts.
 */
import type { Attributes } from '@to11/trace-core';
import type { JsonObject } from './json-fields.ts';
import { asArray, asObject, canonicalArguments } from './json-fields.ts';
import type { ChatMessage, MessagePart, RequestTelemetry, ToolCall } from './types.ts';

/** Sets `key` when `value` is defined. */
export function setIf(attributes: Attributes, key: string, value: unknown): void {
  if (value === undefined) return;
  attributes[key] = value as Attributes[string];
}

/**
 * Parts of a message content: a plain string is one text part (none for ''), an array gives
 * the part `read` makes of each object item (items it returns undefined for are skipped).
 */
export function partsOf(
  content: unknown,
  read: (item: JsonObject) => MessagePart | undefined,
): MessagePart[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', content }];
  const parts: MessagePart[] = [];
  for (const raw of asArray(content) ?? []) {
    const item = asObject(raw);
    const part = item ? read(item) : undefined;
    if (part) parts.push(part);
  }
  return parts;
}

/** What a chat-like request was read into. */
export interface ChatRequestFields {
  attributes: Attributes;
  input: ChatMessage[];
  system: MessagePart[];
  /** An image was seen in the input (the operation is then `generate_content`). */
  image: boolean;
  userId: string | undefined;
}

/** The request telemetry of a chat-like `body` sent to `model`. */
export function chatRequestTelemetry(
  body: JsonObject,
  model: string,
  fields: ChatRequestFields,
): RequestTelemetry {
  return {
    model,
    operation: fields.image ? 'generate_content' : 'chat',
    stream: body.stream === true,
    attributes: fields.attributes,
    input: fields.input,
    system: fields.system.length > 0 ? fields.system : undefined,
    userId: fields.userId,
  };
}

/** The tool calls among `parts`, stamped with `atNs` (a non-streamed answer). */
export function toolCallsOfParts(parts: MessagePart[], atNs: bigint): ToolCall[] {
  return parts.flatMap((part) =>
    part.type === 'tool_call'
      ? [
          {
            id: part.id,
            name: part.name,
            arguments: canonicalArguments(part.arguments),
            startNs: atNs,
            endNs: atNs,
          },
        ]
      : [],
  );
}
