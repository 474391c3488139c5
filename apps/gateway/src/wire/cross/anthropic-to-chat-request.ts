/**
 * Cross-format request: an Anthropic Messages body for an OpenAI model becomes a Chat
 * Completions body (`system` → system message, `tool_use` → tool calls, `tool_result` → tool
 * messages, image blocks → `image_url`, `input_schema` → function parameters).
 */
import {
  asArray,
  asCount,
  asNumber,
  asObject,
  asString,
  asStringList,
  type JsonObject,
} from '../json-fields.ts';
import { toOpenAIToolCall } from './tool-calls.ts';

function text(content: unknown): string {
  if (typeof content === 'string') return content;
  return (asArray(content) ?? []).map((block) => asString(asObject(block)?.text) ?? '').join('');
}

function imageUrl(block: JsonObject): string | undefined {
  const source = asObject(block.source);
  if (source?.type === 'base64')
    return `data:${asString(source.media_type) ?? 'image/png'};base64,${asString(source.data) ?? ''}`;
  return asString(source?.url);
}

function convertMessage(role: string, content: unknown): JsonObject[] {
  if (typeof content === 'string') return [{ role, content }];
  const out: JsonObject[] = [];
  const parts: JsonObject[] = [];
  const toolCalls: JsonObject[] = [];
  for (const raw of asArray(content) ?? []) {
    const block = asObject(raw);
    if (!block) continue;
    if (block.type === 'text') parts.push({ type: 'text', text: asString(block.text) ?? '' });
    else if (block.type === 'image') {
      const url = imageUrl(block);
      if (url) parts.push({ type: 'image_url', image_url: { url } });
    } else if (block.type === 'tool_use') toolCalls.push(toOpenAIToolCall(block));
    else if (block.type === 'tool_result') {
      out.push({
        role: 'tool',
        tool_call_id: asString(block.tool_use_id) ?? '',
        content: text(block.content),
      });
    }
  }
  if (role === 'assistant') {
    const joined = parts.map((part) => String(part.text ?? '')).join('');
    if (joined !== '' || toolCalls.length > 0) {
      out.push({
        role,
        content: joined === '' ? null : joined,
        ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
      });
    }
  } else if (parts.length > 0) out.push({ role, content: parts });
  return out;
}

function toolChoiceOf(choice: unknown): unknown {
  const object = asObject(choice);
  if (object?.type === 'auto') return 'auto';
  if (object?.type === 'any') return 'required';
  if (object?.type === 'none') return 'none';
  const name = asString(object?.name);
  return object?.type === 'tool' && name ? { type: 'function', function: { name } } : undefined;
}

/** The Chat Completions body for a Messages body, sent to `model`. */
export function anthropicToChatRequest(body: JsonObject, model: string): JsonObject {
  const messages: JsonObject[] = [];
  const system = text(body.system);
  if (system) messages.push({ role: 'system', content: system });
  for (const raw of asArray(body.messages) ?? []) {
    const message = asObject(raw);
    const role = asString(message?.role);
    if (message && role) messages.push(...convertMessage(role, message.content));
  }
  const out: JsonObject = { model, messages };
  const maxTokens = asCount(body.max_tokens);
  if (maxTokens !== undefined)
    out[/^(o\d|gpt-5)/.test(model) ? 'max_completion_tokens' : 'max_tokens'] = maxTokens;
  if (asNumber(body.temperature) !== undefined) out.temperature = body.temperature;
  if (asNumber(body.top_p) !== undefined) out.top_p = body.top_p;
  const stop = asStringList(body.stop_sequences);
  if (stop) out.stop = stop;
  if (body.stream === true) {
    out.stream = true;
    out.stream_options = { include_usage: true };
  }
  const tools = (asArray(body.tools) ?? []).flatMap((raw) => {
    const tool = asObject(raw);
    const name = asString(tool?.name);
    if (!name) return [];
    const fn: JsonObject = { name, parameters: tool?.input_schema ?? { type: 'object' } };
    if (tool?.description) fn.description = tool.description;
    return [{ type: 'function', function: fn }];
  });
  if (tools.length > 0) out.tools = tools;
  const toolChoice = toolChoiceOf(body.tool_choice);
  if (toolChoice !== undefined && tools.length > 0) out.tool_choice = toolChoice;
  const user = asString(asObject(body.metadata)?.user_id);
  if (user) out.user = user;
  return out;
}
