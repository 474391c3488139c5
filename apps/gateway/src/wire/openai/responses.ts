/**
 * OpenAI Responses API: request (`input` items, `instructions` as system instructions) and the
 * response object (output items, usage), also used for the terminal event of a stream.
 */
import {
  ATTR_GEN_AI_OUTPUT_TYPE,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_REQUEST_TOP_P,
  type Attributes,
} from '@to11/trace-core';
import { chatRequestTelemetry, partsOf, setIf } from '../chat-telemetry.ts';
import {
  asArray,
  asCount,
  asNumber,
  asObject,
  asString,
  canonicalArguments,
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
import { openaiUsage, outputTypeOf } from './chat.ts';

function itemParts(content: unknown, found: { image: boolean }): MessagePart[] {
  return partsOf(content, (item): MessagePart | undefined => {
    const text = asString(item.text) ?? asString(item.refusal);
    const textual =
      item.type === 'input_text' || item.type === 'output_text' || item.type === 'refusal';
    if (text && textual) return { type: 'text', content: text };
    const fileId = asString(item.file_id);
    if (item.type === 'input_image') {
      found.image = true;
      const url = asString(item.image_url);
      if (url) return mediaPart(url, 'image');
      return fileId ? { type: 'file', modality: 'image', file_id: fileId } : undefined;
    }
    if (item.type === 'input_file' && fileId) {
      return { type: 'file', modality: 'document', file_id: fileId };
    }
    return undefined;
  });
}

/** Request telemetry of a Responses body (`model` already checked). */
export function responsesRequest(body: JsonObject, model: string): RequestTelemetry {
  const attributes: Attributes = {};
  setIf(attributes, ATTR_GEN_AI_REQUEST_MAX_TOKENS, asCount(body.max_output_tokens));
  setIf(attributes, ATTR_GEN_AI_REQUEST_TEMPERATURE, asNumber(body.temperature));
  setIf(attributes, ATTR_GEN_AI_REQUEST_TOP_P, asNumber(body.top_p));
  attributes[ATTR_GEN_AI_OUTPUT_TYPE] = outputTypeOf(asObject(body.text)?.format);
  const found = { image: false };
  const input: ChatMessage[] = [];
  const system: MessagePart[] = itemParts(asString(body.instructions), found);
  const items =
    typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : asArray(body.input);
  for (const raw of items ?? []) {
    const item = asObject(raw);
    if (!item) continue;
    const role = asString(item.role);
    if (item.type === 'function_call' && asString(item.name)) {
      const id = asString(item.call_id);
      const args = typeof item.arguments === 'string' ? parseToolArguments(item.arguments) : {};
      input.push({
        role: 'assistant',
        parts: [
          { type: 'tool_call', ...(id ? { id } : {}), name: String(item.name), arguments: args },
        ],
      });
    } else if (item.type === 'function_call_output') {
      const id = asString(item.call_id);
      input.push({
        role: 'tool',
        parts: [{ type: 'tool_call_response', ...(id ? { id } : {}), response: item.output ?? '' }],
      });
    } else if (role === 'system' || role === 'developer') {
      system.push(...itemParts(item.content, found));
    } else if (role) {
      input.push({ role, parts: itemParts(item.content, found) });
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

function finishReason(body: JsonObject, hasToolCall: boolean): string | undefined {
  const status = asString(body.status);
  if (status === 'completed') return hasToolCall ? 'tool_calls' : 'stop';
  if (status === 'incomplete')
    return asString(asObject(body.incomplete_details)?.reason) ?? 'length';
  if (status === 'failed') return 'error';
  return undefined;
}

/** Response telemetry of a Responses object; `toolTimes` overrides tool-call timing (streams). */
export function responsesResponse(
  body: JsonObject,
  atNs: bigint,
  toolTimes?: ReadonlyMap<string, { startNs: bigint; endNs: bigint }>,
): ResponseTelemetry {
  const parts: MessagePart[] = [];
  const toolCalls: ToolCall[] = [];
  for (const raw of asArray(body.output) ?? []) {
    const item = asObject(raw);
    if (!item) continue;
    if (item.type === 'message') parts.push(...itemParts(item.content, { image: false }));
    else if (item.type === 'reasoning') {
      for (const summary of asArray(item.summary) ?? []) {
        const text = asString(asObject(summary)?.text);
        if (text) parts.push({ type: 'reasoning', content: text });
      }
    } else if (item.type === 'function_call' && asString(item.name)) {
      const id = asString(item.call_id);
      const name = String(item.name);
      const args = typeof item.arguments === 'string' ? item.arguments : '';
      parts.push({
        type: 'tool_call',
        ...(id ? { id } : {}),
        name,
        arguments: parseToolArguments(args),
      });
      const times = (id && toolTimes?.get(id)) || { startNs: atNs, endNs: atNs };
      toolCalls.push({ id, name, arguments: canonicalArguments(args), ...times });
    }
  }
  const reason = finishReason(body, toolCalls.length > 0);
  return {
    id: asString(body.id),
    model: asString(body.model),
    finishReasons: reason ? [reason] : undefined,
    usage: openaiUsage(body.usage),
    output: [{ role: 'assistant', parts, ...(reason ? { finish_reason: reason } : {}) }],
    toolCalls,
  };
}
