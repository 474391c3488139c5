/**
 * What the semantic cache compares of a request: the text it embeds and the partition, the
 * rest of the request that must match exactly. With scope `last_message` the text is the last
 * message (a user's), and the partition keeps every other member, earlier messages included;
 * with `conversation` the text is every message (and the system prompt) as `role: text`
 * lines, and the partition keeps the rest (model, tools, parameters). A request with content
 * other than text (images, tool calls or results) is not semantically cacheable.
 */
import type { SemanticScope } from '@to11/config';
import type { CallerFormat } from '../invoke/exchange.ts';
import { asArray, asObject, type JsonObject } from '../wire/json-fields.ts';

/** The embedded text and the exactly matched rest of a request. */
export interface SemanticParts {
  text: string;
  partition: JsonObject;
}

const TEXT_PARTS: ReadonlySet<string> = new Set(['text', 'input_text', 'output_text']);
const TEXT_ROLES: ReadonlySet<string> = new Set(['system', 'developer', 'user', 'assistant']);
/** Stands for the embedded text in the partition of scope `last_message`. */
const EMBEDDED = { semantic: true };

/** The text of a message content: a string, or text parts only; null otherwise. */
function contentText(content: unknown): string | null {
  if (typeof content === 'string') return content;
  const parts = asArray(content);
  if (!parts || parts.length === 0) return null;
  const texts: string[] = [];
  for (const part of parts) {
    const object = asObject(part);
    if (!object || !TEXT_PARTS.has(String(object.type)) || typeof object.text !== 'string') {
      return null;
    }
    texts.push(object.text);
  }
  return texts.join('\n');
}

interface TextMessage {
  role: string;
  text: string;
}

/** The messages as role and text; null when one is not a plain text message. */
function textMessages(list: unknown): TextMessage[] | null {
  const items = asArray(list);
  if (!items || items.length === 0) return null;
  const messages: TextMessage[] = [];
  for (const item of items) {
    const message = asObject(item);
    const role = typeof message?.role === 'string' ? message.role : '';
    if (!message || !TEXT_ROLES.has(role) || message.tool_calls !== undefined) return null;
    const text = contentText(message.content);
    if (text === null) return null;
    messages.push({ role, text });
  }
  return messages;
}

/** The member holding the conversation, and the one holding a system prompt apart from it. */
function membersOf(caller: CallerFormat): { messages: string; system?: string } | null {
  if (caller === 'chat_completions') return { messages: 'messages' };
  if (caller === 'messages') return { messages: 'messages', system: 'system' };
  if (caller === 'responses') return { messages: 'input', system: 'instructions' };
  return null;
}

/** The semantic parts of a request body (the one the exact cache keys on); null if none. */
export function semanticParts(
  caller: CallerFormat,
  body: JsonObject,
  scope: SemanticScope,
): SemanticParts | null {
  const members = membersOf(caller);
  if (!members) return null;
  const conversation = body[members.messages];
  const messages =
    typeof conversation === 'string'
      ? [{ role: 'user', text: conversation }]
      : textMessages(conversation);
  const last = messages?.at(-1);
  if (!messages || !last || last.role !== 'user' || last.text.trim() === '') return null;
  const partition: JsonObject = { ...body };
  if (scope === 'last_message') {
    partition[members.messages] =
      typeof conversation === 'string'
        ? EMBEDDED
        : [...(conversation as unknown[]).slice(0, -1), EMBEDDED];
    return { text: last.text, partition };
  }
  const lines: string[] = [];
  const system = members.system ? body[members.system] : undefined;
  if (system !== undefined) {
    const text = contentText(system);
    if (text === null) return null;
    lines.push(`system: ${text}`);
    delete partition[members.system as string];
  }
  for (const message of messages) lines.push(`${message.role}: ${message.text}`);
  delete partition[members.messages];
  return { text: lines.join('\n'), partition };
}
