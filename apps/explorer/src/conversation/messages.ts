/**
 * Captured GenAI messages (`gen_ai.input.messages`, `gen_ai.output.messages`,
 * `gen_ai.system_instructions`) normalised for the conversation view. Accepted shapes:
 * semconv parts (`{role, parts:[{type:'text',content}…]}`, what the gateway writes), OpenAI chat
 * (`{role, content, tool_calls}`), OpenAI Responses items (`{type:'message'|'function_call'…}`)
 * and Anthropic Messages (`{role, content:[{type:'text'|'tool_use'|'tool_result'…}]}`). The value
 * may be the JSON string the attribute holds or the parsed array.
 */

/** One piece of a message, ready to render. */
export type MessagePart =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'tool_call'; id: string | undefined; name: string; arguments: string }
  | { type: 'tool_result'; id: string | undefined; content: string }
  | { type: 'media'; label: string };

/** One message of the conversation. */
export interface ConversationMessage {
  role: string;
  parts: MessagePart[];
  finishReason?: string;
}

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
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

function resultText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const texts = value.map((item) => str(asObject(item)?.text) ?? prettyJson(item));
    return texts.join('\n');
  }
  return prettyJson(value);
}

/** One content part in any of the accepted shapes; null when it is not one. */
function partOf(raw: unknown): MessagePart | null {
  if (typeof raw === 'string') return { type: 'text', text: raw };
  const part = asObject(raw);
  if (part === undefined) return null;
  const type = str(part.type);
  const text = str(part.content) ?? str(part.text);
  switch (type) {
    case 'text':
    case 'input_text':
    case 'output_text':
      return text === undefined ? null : { type: 'text', text };
    case 'reasoning':
    case 'thinking':
      return { type: 'reasoning', text: text ?? str(part.thinking) ?? '' };
    case 'tool_call':
    case 'tool_use':
    case 'function_call': {
      const fn = asObject(part.function);
      return {
        type: 'tool_call',
        id: str(part.id) ?? str(part.call_id),
        name: str(part.name) ?? str(fn?.name) ?? 'tool',
        arguments: prettyJson(part.arguments ?? part.input ?? fn?.arguments),
      };
    }
    case 'tool_call_response':
    case 'tool_result':
    case 'function_call_output':
      return {
        type: 'tool_result',
        id: str(part.id) ?? str(part.tool_use_id) ?? str(part.call_id),
        content: resultText(part.response ?? part.content ?? part.output),
      };
    case 'image':
    case 'image_url':
    case 'input_image':
    case 'uri':
    case 'blob':
    case 'file':
    case 'input_audio':
    case 'document':
      return { type: 'media', label: `[${str(part.modality) ?? type}]` };
    default:
      return text === undefined ? null : { type: 'text', text };
  }
}

function partsOf(content: unknown): MessagePart[] {
  if (content === undefined || content === null) return [];
  const list = Array.isArray(content) ? content : [content];
  return list.flatMap((raw) => partOf(raw) ?? []);
}

/** An OpenAI chat `tool_calls` array as parts. */
function openaiToolCalls(value: unknown): MessagePart[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((raw) => {
    const call = asObject(raw);
    const fn = asObject(call?.function);
    if (fn === undefined) return [];
    return [
      {
        type: 'tool_call' as const,
        id: str(call?.id),
        name: str(fn.name) ?? 'tool',
        arguments: prettyJson(fn.arguments),
      },
    ];
  });
}

function messageOf(raw: unknown): ConversationMessage | null {
  const message = asObject(raw);
  if (message === undefined)
    return typeof raw === 'string' ? { role: 'user', parts: [{ type: 'text', text: raw }] } : null;
  const type = str(message.type);
  // Responses API items that are not messages: a function call or its output on its own.
  if (type === 'function_call' || type === 'function_call_output') {
    const part = partOf(message);
    return part ? { role: type === 'function_call' ? 'assistant' : 'tool', parts: [part] } : null;
  }
  const role = str(message.role) ?? 'assistant';
  const finish = str(message.finish_reason);
  const parts = Array.isArray(message.parts) ? partsOf(message.parts) : partsOf(message.content);
  parts.push(...openaiToolCalls(message.tool_calls));
  if (role === 'tool' && parts.every((part) => part.type === 'text')) {
    const content = parts.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
    return {
      role,
      parts: [{ type: 'tool_result', id: str(message.tool_call_id), content }],
    };
  }
  return finish ? { role, parts, finishReason: finish } : { role, parts };
}

/**
 * A captured attribute: nothing, JSON (the attribute holds a JSON string, or already a value), or
 * text that is not JSON (a capture cut by the size limit ends in `…[truncated]`).
 */
function parseCaptured(
  value: unknown,
): { status: 'empty' } | { status: 'json'; value: unknown } | { status: 'text'; text: string } {
  if (value === undefined || value === null || value === '') return { status: 'empty' };
  if (typeof value !== 'string') return { status: 'json', value };
  try {
    return { status: 'json', value: JSON.parse(value) };
  } catch {
    return { status: 'text', text: value };
  }
}

/** Parses a captured attribute into messages; an unreadable value becomes one text message. */
export function conversationOf(value: unknown, fallbackRole = 'assistant'): ConversationMessage[] {
  const captured = parseCaptured(value);
  if (captured.status === 'empty') return [];
  if (captured.status === 'text') {
    return [{ role: fallbackRole, parts: [{ type: 'text', text: captured.text }] }];
  }
  const parsed = captured.value;
  const list = Array.isArray(parsed) ? parsed : [parsed];
  return list.flatMap((raw) => messageOf(raw) ?? []);
}

/** System instructions (`gen_ai.system_instructions`: an array of parts) as one system message. */
export function systemInstructionsOf(value: unknown): ConversationMessage[] {
  const captured = parseCaptured(value);
  if (captured.status === 'empty') return [];
  if (captured.status === 'text') {
    return [{ role: 'system', parts: [{ type: 'text', text: captured.text }] }];
  }
  const parts = partsOf(captured.value);
  return parts.length === 0 ? [] : [{ role: 'system', parts }];
}
