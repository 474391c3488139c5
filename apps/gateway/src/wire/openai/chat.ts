/**
 * OpenAI Chat Completions: request parameters and content, and the non-streamed response
 * (SPEC §5 attributes; semconv message parts).
 */
import {
  ATTR_GEN_AI_OUTPUT_TYPE,
  ATTR_GEN_AI_REQUEST_CHOICE_COUNT,
  ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY,
  ATTR_GEN_AI_REQUEST_SEED,
  ATTR_GEN_AI_REQUEST_STOP_SEQUENCES,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_REQUEST_TOP_P,
  type Attributes,
} from '@to11/trace-core';
import { chatRequestTelemetry, partsOf, setIf, toolCallsOfParts } from '../chat-telemetry.ts';
import {
  asArray,
  asCount,
  asNumber,
  asObject,
  asString,
  asStringList,
  type JsonObject,
  parseToolArguments,
} from '../json-fields.ts';
import { mediaPart } from '../media-part.ts';
import type {
  ChatMessage,
  MessagePart,
  RequestTelemetry,
  ResponseTelemetry,
  ToolCall,
} from '../types.ts';

function contentParts(content: unknown, found: { image: boolean }): MessagePart[] {
  return partsOf(content, (item): MessagePart | undefined => {
    const text = asString(item.text);
    if ((item.type === 'text' || item.type === 'input_text') && text) {
      return { type: 'text', content: text };
    }
    if (item.type === 'image_url') {
      found.image = true;
      const url = asString(asObject(item.image_url)?.url) ?? asString(item.image_url);
      return url ? mediaPart(url, 'image') : undefined;
    }
    if (item.type === 'input_audio') {
      const data = asString(asObject(item.input_audio)?.data);
      return data ? { type: 'blob', modality: 'audio', content: data } : undefined;
    }
    if (item.type === 'file') {
      const fileId = asString(asObject(item.file)?.file_id);
      return fileId ? { type: 'file', modality: 'document', file_id: fileId } : undefined;
    }
    const refusal = item.type === 'refusal' ? asString(item.refusal) : undefined;
    return refusal ? { type: 'text', content: refusal } : undefined;
  });
}

function toolCallParts(value: unknown): MessagePart[] {
  const parts: MessagePart[] = [];
  for (const raw of asArray(value) ?? []) {
    const call = asObject(raw);
    const fn = asObject(call?.function);
    const name = asString(fn?.name);
    if (!name) continue;
    const part: MessagePart = { type: 'tool_call', name };
    const id = asString(call?.id);
    if (id) part.id = id;
    if (typeof fn?.arguments === 'string') part.arguments = parseToolArguments(fn.arguments);
    parts.push(part);
  }
  return parts;
}

/** Output type requested through `response_format` (json or text). */
export function outputTypeOf(format: unknown): string {
  const type = asString(asObject(format)?.type);
  return type === 'json_object' || type === 'json_schema' ? 'json' : 'text';
}

/** Request telemetry of a Chat Completions body (`model` already checked). */
export function openaiChatRequest(body: JsonObject, model: string): RequestTelemetry {
  const attributes: Attributes = {};
  setIf(
    attributes,
    ATTR_GEN_AI_REQUEST_MAX_TOKENS,
    asCount(body.max_completion_tokens ?? body.max_tokens),
  );
  setIf(attributes, ATTR_GEN_AI_REQUEST_TEMPERATURE, asNumber(body.temperature));
  setIf(attributes, ATTR_GEN_AI_REQUEST_TOP_P, asNumber(body.top_p));
  setIf(attributes, ATTR_GEN_AI_REQUEST_STOP_SEQUENCES, asStringList(body.stop));
  setIf(attributes, ATTR_GEN_AI_REQUEST_SEED, asNumber(body.seed));
  setIf(attributes, ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY, asNumber(body.frequency_penalty));
  setIf(attributes, ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY, asNumber(body.presence_penalty));
  const n = asCount(body.n);
  if (n !== undefined && n !== 1) attributes[ATTR_GEN_AI_REQUEST_CHOICE_COUNT] = n;
  attributes[ATTR_GEN_AI_OUTPUT_TYPE] = outputTypeOf(body.response_format);

  const found = { image: false };
  const input: ChatMessage[] = [];
  const system: MessagePart[] = [];
  for (const raw of asArray(body.messages) ?? []) {
    const message = asObject(raw);
    const role = asString(message?.role);
    if (!message || !role) continue;
    const parts = contentParts(message.content, found);
    if (role === 'system' || role === 'developer') {
      system.push(...parts);
    } else if (role === 'tool') {
      const id = asString(message.tool_call_id);
      const response = typeof message.content === 'string' ? message.content : parts;
      input.push({
        role,
        parts: [{ type: 'tool_call_response', ...(id ? { id } : {}), response }],
      });
    } else {
      input.push({ role, parts: [...parts, ...toolCallParts(message.tool_calls)] });
    }
  }
  return chatRequestTelemetry(body, model, {
    attributes,
    input,
    system,
    image: found.image,
    userId: asString(body.user),
  });
}

/** Tool calls of an assistant message, stamped with `atNs`. */
export function toolCallsOf(message: JsonObject | undefined, atNs: bigint): ToolCall[] {
  return toolCallsOfParts(toolCallParts(message?.tool_calls), atNs);
}

/** Usage of an OpenAI `usage` object (chat or embeddings). */
export function openaiUsage(value: unknown): ResponseTelemetry['usage'] {
  const usage = asObject(value);
  if (!usage) return {};
  return {
    inputTokens: asCount(usage.prompt_tokens ?? usage.input_tokens),
    outputTokens: asCount(usage.completion_tokens ?? usage.output_tokens),
    cacheReadTokens: asCount(
      asObject(usage.prompt_tokens_details ?? usage.input_tokens_details)?.cached_tokens,
    ),
    reasoningTokens: asCount(
      asObject(usage.completion_tokens_details ?? usage.output_tokens_details)?.reasoning_tokens,
    ),
  };
}

/** Response telemetry of a non-streamed Chat Completions answer. */
export function openaiChatResponse(body: JsonObject, atNs: bigint): ResponseTelemetry {
  const output: ChatMessage[] = [];
  const finishReasons: string[] = [];
  const toolCalls: ToolCall[] = [];
  for (const raw of asArray(body.choices) ?? []) {
    const choice = asObject(raw);
    const message = asObject(choice?.message);
    const reason = asString(choice?.finish_reason);
    if (reason) finishReasons.push(reason);
    const parts = [
      ...contentParts(message?.content, { image: false }),
      ...(asString(message?.refusal)
        ? [{ type: 'text' as const, content: String(message?.refusal) }]
        : []),
      ...toolCallParts(message?.tool_calls),
    ];
    output.push({
      role: asString(message?.role) ?? 'assistant',
      parts,
      ...(reason ? { finish_reason: reason } : {}),
    });
    toolCalls.push(...toolCallsOf(message, atNs));
  }
  return {
    id: asString(body.id),
    model: asString(body.model),
    finishReasons: finishReasons.length > 0 ? finishReasons : undefined,
    usage: openaiUsage(body.usage),
    output: output.length > 0 ? output : undefined,
    toolCalls,
  };
}
