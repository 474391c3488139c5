/**
 * Embeddings: input text captured (vectors never), encoding format and dimensions, usage.
 */
import {
  ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT,
  ATTR_GEN_AI_REQUEST_ENCODING_FORMATS,
  type Attributes,
} from '@to11/trace-core';
import { asArray, asCount, asObject, asString, type JsonObject } from '../json-fields.ts';
import type { ChatMessage, RequestTelemetry, ResponseTelemetry } from '../types.ts';
import { openaiUsage } from './chat.ts';

function inputTexts(input: unknown): string[] {
  if (typeof input === 'string') return input === '' ? [] : [input];
  return (asArray(input) ?? []).filter(
    (item): item is string => typeof item === 'string' && item !== '',
  );
}

/** Request telemetry of an embeddings body. */
export function embeddingsRequest(body: JsonObject, model: string): RequestTelemetry {
  const attributes: Attributes = {};
  const format = asString(body.encoding_format);
  if (format) attributes[ATTR_GEN_AI_REQUEST_ENCODING_FORMATS] = [format];
  const dimensions = asCount(body.dimensions);
  if (dimensions !== undefined) attributes[ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT] = dimensions;
  const texts = inputTexts(body.input);
  const input: ChatMessage[] | undefined =
    texts.length > 0
      ? [{ role: 'user', parts: texts.map((content) => ({ type: 'text', content })) }]
      : undefined;
  return {
    model,
    operation: 'embeddings',
    stream: false,
    attributes,
    input,
    userId: asString(body.user),
  };
}

/** Response telemetry of an embeddings answer (no output content: vectors are not captured). */
export function embeddingsResponse(body: JsonObject): ResponseTelemetry {
  const usage = openaiUsage(body.usage);
  return {
    id: asString(body.id),
    model: asString(body.model),
    usage: { inputTokens: usage.inputTokens ?? asCount(asObject(body.usage)?.total_tokens) },
    toolCalls: [],
  };
}
