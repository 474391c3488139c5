/**
 * Image generation, text-to-speech and transcription (reference §5 capture table): prompt in and
 * revised prompt out for images, input text for speech, transcribed text out for transcription.
 */
import {
  ATTR_GEN_AI_OUTPUT_TYPE,
  ATTR_GEN_AI_REQUEST_CHOICE_COUNT,
  type Attributes,
} from '@to11/trace-core';
import { asArray, asCount, asObject, asString, type JsonObject } from '../json-fields.ts';
import {
  type ChatMessage,
  emptyResponse,
  type RequestTelemetry,
  type ResponseTelemetry,
  textParts,
} from '../types.ts';
import { openaiUsage } from './chat.ts';

function userText(text: string | undefined): ChatMessage[] | undefined {
  const parts = textParts(text);
  return parts ? [{ role: 'user', parts }] : undefined;
}

/** Request telemetry of an image generation body. */
export function imageRequest(body: JsonObject, model: string): RequestTelemetry {
  const attributes: Attributes = { [ATTR_GEN_AI_OUTPUT_TYPE]: 'image' };
  const n = asCount(body.n);
  if (n !== undefined && n !== 1) attributes[ATTR_GEN_AI_REQUEST_CHOICE_COUNT] = n;
  return {
    model,
    operation: 'image_generation',
    stream: false,
    attributes,
    input: userText(asString(body.prompt)),
    userId: asString(body.user),
  };
}

/** Response telemetry of an image generation answer: revised prompts, usage when reported. */
export function imageResponse(body: JsonObject): ResponseTelemetry {
  const parts = (asArray(body.data) ?? []).flatMap(
    (item) => textParts(asString(asObject(item)?.revised_prompt)) ?? [],
  );
  return {
    ...emptyResponse(),
    model: asString(body.model),
    usage: openaiUsage(body.usage),
    output: parts.length > 0 ? [{ role: 'assistant', parts }] : undefined,
  };
}

/** Request telemetry of a text-to-speech body. */
export function speechRequest(body: JsonObject, model: string): RequestTelemetry {
  return {
    model,
    operation: 'audio_speech',
    stream: false,
    attributes: { [ATTR_GEN_AI_OUTPUT_TYPE]: 'speech' },
    input: userText(asString(body.input)),
  };
}

/** Request telemetry of a transcription form (the audio itself is never captured). */
export function transcriptionRequest(fields: {
  model: string;
  user?: string | undefined;
}): RequestTelemetry {
  return {
    model: fields.model,
    operation: 'audio_transcription',
    stream: false,
    attributes: { [ATTR_GEN_AI_OUTPUT_TYPE]: 'text' },
    userId: fields.user,
  };
}

/** Response telemetry of a transcription answer (JSON with `text`, or plain text). */
export function transcriptionResponse(body: JsonObject | string): ResponseTelemetry {
  const text = typeof body === 'string' ? body : asString(body.text);
  const parts = textParts(text);
  const usage = typeof body === 'string' ? {} : openaiUsage(body.usage);
  return { ...emptyResponse(), usage, output: parts ? [{ role: 'assistant', parts }] : undefined };
}
