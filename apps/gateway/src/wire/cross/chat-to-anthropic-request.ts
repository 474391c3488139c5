/**
 * Cross-format request: an OpenAI Chat Completions body for an Anthropic model becomes a
 * Messages body (system messages → `system`, tool calls → `tool_use`, tool messages →
 * `tool_result`, images → image blocks, tools → `input_schema`).
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
import { toAnthropicToolUse } from './tool-calls.ts';

/** `max_tokens` sent when the caller set none (Anthropic requires it). */
export const DEFAULT_MAX_TOKENS = 4096;

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

function userBlocks(content: unknown): unknown[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  const blocks: unknown[] = [];
  for (const raw of asArray(content) ?? []) {
    const part = asObject(raw);
    if (part?.type === 'text' && typeof part.text === 'string')
      blocks.push({ type: 'text', text: part.text });
    if (part?.type === 'image_url') {
      const url = asString(asObject(part.image_url)?.url) ?? asString(part.image_url) ?? '';
      const data = DATA_URL.exec(url);
      blocks.push(
        data
          ? { type: 'image', source: { type: 'base64', media_type: data[1], data: data[2] } }
          : { type: 'image', source: { type: 'url', url } },
      );
    }
  }
  return blocks;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  return (asArray(content) ?? []).map((part) => asString(asObject(part)?.text) ?? '').join('');
}

function messagesOf(body: JsonObject): { system: string; messages: JsonObject[] } {
  const system: string[] = [];
  const messages: JsonObject[] = [];
  const push = (role: string, blocks: unknown[]): void => {
    const last = messages[messages.length - 1];
    if (last && last.role === role && Array.isArray(last.content)) last.content.push(...blocks);
    else messages.push({ role, content: blocks });
  };
  for (const raw of asArray(body.messages) ?? []) {
    const message = asObject(raw);
    const role = asString(message?.role);
    if (!message || !role) continue;
    if (role === 'system' || role === 'developer') system.push(textOf(message.content));
    else if (role === 'tool') {
      push('user', [
        {
          type: 'tool_result',
          tool_use_id: asString(message.tool_call_id) ?? '',
          content: textOf(message.content),
        },
      ]);
    } else if (role === 'assistant') {
      const blocks: unknown[] = [];
      const text = textOf(message.content);
      if (text) blocks.push({ type: 'text', text });
      for (const call of asArray(message.tool_calls) ?? []) {
        blocks.push(toAnthropicToolUse(asObject(call)));
      }
      push('assistant', blocks);
    } else push('user', userBlocks(message.content));
  }
  return { system: system.filter((text) => text !== '').join('\n\n'), messages };
}

function toolChoiceOf(choice: unknown): JsonObject | undefined {
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'required') return { type: 'any' };
  if (choice === 'none') return { type: 'none' };
  const name = asString(asObject(asObject(choice)?.function)?.name);
  return name ? { type: 'tool', name } : undefined;
}

/** The Messages body for a Chat Completions body, sent to `model`. */
export function chatToAnthropicRequest(body: JsonObject, model: string): JsonObject {
  const { system, messages } = messagesOf(body);
  const out: JsonObject = {
    model,
    max_tokens: asCount(body.max_completion_tokens ?? body.max_tokens) ?? DEFAULT_MAX_TOKENS,
    messages,
  };
  if (system) out.system = system;
  const temperature = asNumber(body.temperature);
  if (temperature !== undefined) out.temperature = Math.min(1, temperature);
  if (asNumber(body.top_p) !== undefined) out.top_p = body.top_p;
  const stop = asStringList(body.stop);
  if (stop) out.stop_sequences = stop;
  if (body.stream === true) out.stream = true;
  const tools = (asArray(body.tools) ?? []).flatMap((raw) => {
    const fn = asObject(asObject(raw)?.function);
    const name = asString(fn?.name);
    if (!name) return [];
    return [
      {
        name,
        ...(fn?.description ? { description: fn.description } : {}),
        input_schema: fn?.parameters ?? { type: 'object' },
      },
    ];
  });
  if (tools.length > 0) out.tools = tools;
  const toolChoice = toolChoiceOf(body.tool_choice);
  if (toolChoice && tools.length > 0) out.tool_choice = toolChoice;
  const user = asString(body.user);
  if (user) out.metadata = { user_id: user };
  return out;
}
