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
import {
  asArray,
  asCount,
  asNumber,
  asObject,
  asString,
  asStringList,
  canonicalArguments,
  type JsonObject,
} from '../json-fields.ts';
import { mediaPart } from '../media-part.ts';
import { setIf } from '../openai/chat.ts';
import type {
  ChatMessage,
  MessagePart,
  RequestTelemetry,
  ResponseTelemetry,
  ToolCall,
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
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', content }];
  const parts: MessagePart[] = [];
  for (const raw of asArray(content) ?? []) {
    const block = asObject(raw);
    if (!block) continue;
    const text = asString(block.text);
    if (block.type === 'text' && text) parts.push({ type: 'text', content: text });
    else if (block.type === 'image') {
      found.image = true;
      const part = sourcePart(block, 'image');
      if (part) parts.push(part);
    } else if (block.type === 'document') {
      const part = sourcePart(block, 'document');
      if (part) parts.push(part);
    } else if (block.type === 'tool_use' && asString(block.name)) {
      const id = asString(block.id);
      parts.push({
        type: 'tool_call',
        ...(id ? { id } : {}),
        name: String(block.name),
        arguments: block.input ?? {},
      });
    } else if (block.type === 'tool_result') {
      const id = asString(block.tool_use_id);
      const response =
        typeof block.content === 'string' ? block.content : anthropicParts(block.content, found);
      parts.push({ type: 'tool_call_response', ...(id ? { id } : {}), response });
    } else if (block.type === 'thinking' && asString(block.thinking)) {
      parts.push({ type: 'reasoning', content: String(block.thinking) });
    }
  }
  return parts;
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
  return {
    model,
    operation: found.image ? 'generate_content' : 'chat',
    stream: body.stream === true,
    attributes,
    input,
    system: system.length > 0 ? system : undefined,
    userId: asString(asObject(body.metadata)?.user_id),
  };
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
  const toolCalls: ToolCall[] = parts.flatMap((part) =>
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
