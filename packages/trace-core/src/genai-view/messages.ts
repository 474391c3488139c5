/**
 * Chat messages in the one shape the explorer renders: the OTel GenAI `gen_ai.input.messages` /
 * `gen_ai.output.messages` form (a role and typed parts). Libraries write messages in the shape
 * of the SDK they wrap (OpenAI chat, Anthropic content blocks, Vercel AI SDK parts); this turns
 * each into that one form. Unknown parts are kept by type, so nothing disappears silently.
 * No imports and no I/O: the explorer bundles this module for the browser
 * (`@to11/trace-core/genai-view/messages`), so the server's view and the page read messages alike.
 */

/** One part of a message (semconv part types; `image` stands for any media part). */
export type GenAiPart =
  | { type: 'text'; content: string }
  | { type: 'reasoning'; content: string }
  | { type: 'tool_call'; id: string | null; name: string; arguments: unknown }
  | { type: 'tool_call_response'; id: string | null; response: unknown }
  | { type: 'image' }
  | { type: 'other'; original: string };

/** One message. */
export interface GenAiMessage {
  role: string;
  parts: GenAiPart[];
  finish_reason?: string;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Tool arguments as an object when they are JSON text, as given otherwise. */
function argumentsOf(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** One content part in any of the SDK shapes. */
function partOf(part: unknown): GenAiPart {
  if (typeof part === 'string') return { type: 'text', content: part };
  if (!isObject(part)) return { type: 'other', original: typeof part };
  const type = str(part.type) ?? 'text';
  switch (type) {
    case 'text':
    case 'input_text':
    case 'output_text':
      return { type: 'text', content: str(part.content) ?? str(part.text) ?? '' };
    case 'reasoning':
    case 'thinking':
      return {
        type: 'reasoning',
        content: str(part.content) ?? str(part.thinking) ?? str(part.text) ?? '',
      };
    case 'tool_call':
    case 'tool_use':
    case 'tool-call':
    case 'function_call':
      return {
        type: 'tool_call',
        id: str(part.id) ?? str(part.toolCallId) ?? str(part.call_id),
        name: str(part.name) ?? str(part.toolName) ?? '',
        arguments: argumentsOf(part.arguments ?? part.input ?? part.args),
      };
    case 'tool_call_response':
    case 'tool_result':
    case 'tool-result':
    case 'function_call_output':
      return {
        type: 'tool_call_response',
        id: str(part.id) ?? str(part.tool_use_id) ?? str(part.toolCallId) ?? str(part.call_id),
        response: part.response ?? part.content ?? part.output ?? part.result ?? null,
      };
    case 'image':
    case 'image_url':
    case 'input_image':
    case 'file':
    case 'blob':
    case 'uri':
    case 'input_audio':
    case 'document':
      return { type: 'image' };
    default:
      return { type: 'other', original: type };
  }
}

/** OpenAI chat `tool_calls` as parts. */
function toolCallParts(calls: unknown): GenAiPart[] {
  if (!Array.isArray(calls)) return [];
  return calls.filter(isObject).map((call) => {
    const fn = isObject(call.function) ? call.function : call;
    return {
      type: 'tool_call',
      id: str(call.id),
      name: str(fn.name) ?? '',
      arguments: argumentsOf(fn.arguments),
    };
  });
}

/** Content parts (an array of parts, or one part) in the semconv shape. */
export function partsOf(value: unknown): GenAiPart[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(partOf);
}

/**
 * One message in any of the SDK shapes, or null when it is not a message. A message without a
 * role gets `defaultRole` (an output list's messages are the assistant's). OpenAI Responses
 * items that are not messages (a `function_call` or its `function_call_output`) become a message
 * of that one part.
 */
export function messageOf(value: unknown, defaultRole = 'user'): GenAiMessage | null {
  if (typeof value === 'string')
    return { role: defaultRole, parts: [{ type: 'text', content: value }] };
  if (!isObject(value)) return null;
  if (value.type === 'function_call') return { role: 'assistant', parts: [partOf(value)] };
  if (value.type === 'function_call_output') return { role: 'tool', parts: [partOf(value)] };
  const role = str(value.role) ?? defaultRole;
  const content = value.parts ?? value.content;
  const parts: GenAiPart[] =
    typeof content === 'string'
      ? [{ type: 'text', content }]
      : Array.isArray(content)
        ? content.map(partOf)
        : [];
  parts.push(...toolCallParts(value.tool_calls));
  const toolCallId = str(value.tool_call_id);
  if (role === 'tool' && typeof content === 'string') {
    parts.splice(0, parts.length, {
      type: 'tool_call_response',
      id: toolCallId,
      response: content,
    });
  }
  const finish = str(value.finish_reason);
  return finish === null ? { role, parts } : { role, parts, finish_reason: finish };
}

/** A list of messages (an array, `{messages: [...]}`, or one message), or null. */
export function messagesOf(value: unknown, defaultRole = 'user'): GenAiMessage[] | null {
  const list = isObject(value) && Array.isArray(value.messages) ? value.messages : value;
  if (Array.isArray(list)) {
    const messages = list
      .map((item) => messageOf(item, defaultRole))
      .filter((m): m is GenAiMessage => m !== null);
    return messages.length > 0 ? messages : null;
  }
  const one = messageOf(value, defaultRole);
  return one === null ? null : [one];
}
