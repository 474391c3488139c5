/**
 * Anthropic Messages: request parameters and content (top-level `system` kept apart), and the
 * non-streamed response. Usage follows semconv: input tokens include cache reads and writes.
 */
import {
  ATTR_GEN_AI_OUTPUT_TYPE,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_STOP_SEQUENCES,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_REQUEST_TOP_K,
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
} from '../json-fields.ts';
import { mediaPart } from '../media-part.ts';
import type {
  ChatMessage,
  MessagePart,
  RequestTelemetry,
  ResponseTelemetry,
  Usage,
} from '../types.ts';

function sourcePart(block: JsonObject, modality: string): MessagePart | undefined {
  const source = asObject(block.source);
  if (!source) return undefined;
  const data = asString(source.data);
  if (source.type === 'base64' && data) {
    const mime = asString(source.media_type);
    return { type: 'blob', modality, content: data, ...(mime ? { mime_type: mime } : {}) };
  }
  const url = asString(source.url);
  if (url) return mediaPart(url, modality);
  const fileId = asString(source.file_id);
  return fileId ? { type: 'file', modality, file_id: fileId } : undefined;
}

/** Parts of Anthropic content (a string or content blocks); flags image input in `found`. */
export function anthropicParts(content: unknown, found: { image: boolean }): MessagePart[] {
  return partsOf(content, (block) => blockPart(block, found));
}

function blockPart(block: JsonObject, found: { image: boolean }): MessagePart | undefined {
  switch (block.type) {
    case 'text': {
      const text = asString(block.text);
      return text ? { type: 'text', content: text } : undefined;
    }
    case 'image':
      found.image = true;
      return sourcePart(block, 'image');
    case 'document':
      return sourcePart(block, 'document');
    case 'tool_use': {
      const name = asString(block.name);
      if (!name) return undefined;
      const id = asString(block.id);
      return { type: 'tool_call', ...(id ? { id } : {}), name, arguments: block.input ?? {} };
    }
    case 'tool_result': {
      const id = asString(block.tool_use_id);
      const response =
        typeof block.content === 'string' ? block.content : anthropicParts(block.content, found);
      return { type: 'tool_call_response', ...(id ? { id } : {}), response };
    }
    case 'thinking': {
      const thinking = asString(block.thinking);
      return thinking ? { type: 'reasoning', content: thinking } : undefined;
    }
    default:
      return undefined;
  }
}

/** Request telemetry of a Messages body (`model` already checked). */
export function anthropicRequest(body: JsonObject, model: string): RequestTelemetry {
  const attributes: Attributes = {};
  setIf(attributes, ATTR_GEN_AI_REQUEST_MAX_TOKENS, asCount(body.max_tokens));
  setIf(attributes, ATTR_GEN_AI_REQUEST_TEMPERATURE, asNumber(body.temperature));
  setIf(attributes, ATTR_GEN_AI_REQUEST_TOP_P, asNumber(body.top_p));
  setIf(attributes, ATTR_GEN_AI_REQUEST_TOP_K, asNumber(body.top_k));
  setIf(attributes, ATTR_GEN_AI_REQUEST_STOP_SEQUENCES, asStringList(body.stop_sequences));
  const format = asString(asObject(body.output_format)?.type);
  attributes[ATTR_GEN_AI_OUTPUT_TYPE] = format === 'json_schema' ? 'json' : 'text';
  const found = { image: false };
  const input: ChatMessage[] = [];
  for (const raw of asArray(body.messages) ?? []) {
    const message = asObject(raw);
    const role = asString(message?.role);
    if (message && role) input.push({ role, parts: anthropicParts(message.content, found) });
  }
  const system = anthropicParts(body.system, { image: false });
  return chatRequestTelemetry(body, model, {
    attributes,
    input,
    system,
    image: found.image,
    userId: asString(asObject(body.metadata)?.user_id),
  });
}

/** Normalised usage of an Anthropic `usage` object, merged over `previous`. */
export function anthropicUsage(value: unknown, previous: Usage = {}): Usage {
  const usage = asObject(value);
  if (!usage) return previous;
  const base = asCount(usage.input_tokens);
  const cacheRead = asCount(usage.cache_read_input_tokens) ?? previous.cacheReadTokens;
  const cacheWrite = asCount(usage.cache_creation_input_tokens) ?? previous.cacheWriteTokens;
  const inputTokens =
    base !== undefined ? base + (cacheRead ?? 0) + (cacheWrite ?? 0) : previous.inputTokens;
  return {
    inputTokens,
    outputTokens: asCount(usage.output_tokens) ?? previous.outputTokens,
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
  };
}

/** Response telemetry of a non-streamed Messages answer. */
export function anthropicResponse(body: JsonObject, atNs: bigint): ResponseTelemetry {
  const parts = anthropicParts(body.content, { image: false });
  const toolCalls = toolCallsOfParts(parts, atNs);
  const reason = asString(body.stop_reason);
  return {
    id: asString(body.id),
    model: asString(body.model),
    finishReasons: reason ? [reason] : undefined,
    usage: anthropicUsage(body.usage),
    output: [
      {
        role: asString(body.role) ?? 'assistant',
        parts,
        ...(reason ? { finish_reason: reason } : {}),
      },
    ],
    toolCalls,
  };
}
