/**
 * How one caller format talks to one upstream wire format: the upstream endpoint and body,
 * how its answer is read for telemetry, and, for cross-format pairs (SPEC §4 "Cross-format"),
 * how answers and streams are translated back into the caller's shape.
 */

import type { UpstreamEndpoint, WireFormat } from '../providers/types.ts';
import { anthropicResponse } from '../wire/anthropic/messages.ts';
import { AnthropicStreamAccumulator } from '../wire/anthropic/stream.ts';
import { anthropicToChatRequest } from '../wire/cross/anthropic-to-chat-request.ts';
import {
  AnthropicToChatStream,
  anthropicToChatResponse,
} from '../wire/cross/anthropic-to-chat-response.ts';
import { chatToAnthropicRequest } from '../wire/cross/chat-to-anthropic-request.ts';
import {
  ChatToAnthropicStream,
  chatToAnthropicResponse,
} from '../wire/cross/chat-to-anthropic-response.ts';
import { asObject, type JsonObject } from '../wire/json-fields.ts';
import { openaiChatResponse } from '../wire/openai/chat.ts';
import { OpenAIChatStreamAccumulator } from '../wire/openai/chat-stream.ts';
import { embeddingsResponse } from '../wire/openai/embeddings.ts';
import { imageResponse, transcriptionResponse } from '../wire/openai/media.ts';
import { responsesResponse } from '../wire/openai/responses.ts';
import { ResponsesStreamAccumulator } from '../wire/openai/responses-stream.ts';
import type { StreamAccumulator, StreamTranslator } from '../wire/stream-accumulator.ts';
import { emptyResponse, type ResponseTelemetry } from '../wire/types.ts';
import type { ParsedRequest } from './read-request.ts';

/** The request shapes the gateway accepts. */
export type CallerFormat =
  | 'chat_completions'
  | 'messages'
  | 'responses'
  | 'embeddings'
  | 'image_generation'
  | 'audio_speech'
  | 'audio_transcription';

/** The upstream body of one attempt. */
export interface UpstreamBody {
  body: string | Uint8Array;
  /** Null keeps the caller's content type (multipart with its boundary). */
  contentType: string | null;
  /** The gateway added `include_usage`: strip the usage-only chunk from the caller's stream. */
  stripUsage: boolean;
}

/** One caller-format × wire-format pairing. */
export interface Exchange {
  endpoint: UpstreamEndpoint;
  crossFormat: boolean;
  /** The answer is binary (speech): relayed untouched, never parsed. */
  binary: boolean;
  body(request: ParsedRequest, model: string): Promise<UpstreamBody>;
  parseResponse(body: JsonObject | string, atNs: bigint): ResponseTelemetry;
  accumulator(): StreamAccumulator | null;
  /** Cross-format only: the answer in the caller's shape. */
  translateResponse?(body: JsonObject): JsonObject;
  /** Cross-format only: the stream in the caller's shape. */
  translator?(request: ParsedRequest): StreamTranslator;
}

const JSON_TYPE = 'application/json';

/**
 * The caller's body for an upstream of the same format: as received, or with `model` replaced
 * when the route maps the caller's model to another name.
 */
export function sameBody(request: ParsedRequest, model: string): Promise<UpstreamBody> {
  const json = request.json;
  if (!json || model === request.model) {
    return Promise.resolve({
      body: request.raw,
      contentType: request.form ? null : JSON_TYPE,
      stripUsage: false,
    });
  }
  return Promise.resolve({
    body: JSON.stringify({ ...json, model }),
    contentType: JSON_TYPE,
    stripUsage: false,
  });
}

const INCLUDE_USAGE = '"stream_options":{"include_usage":true}';

function chatBody(request: ParsedRequest, model: string): Promise<UpstreamBody> {
  const json = request.json ?? {};
  const options = asObject(json.stream_options);
  const stripUsage = request.telemetry.stream && options?.include_usage !== true;
  if (!stripUsage) return sameBody(request, model);
  // Common case: nothing else changes, so the caller's text gets the member appended (what
  // re-serialising would give) instead of a JSON.stringify of the whole body.
  const end = typeof request.raw === 'string' ? request.raw.lastIndexOf('}') : -1;
  if (model === request.model && !('stream_options' in json) && end > 0) {
    const raw = request.raw as string;
    const body = `${raw.slice(0, end)},${INCLUDE_USAGE}${raw.slice(end)}`;
    return Promise.resolve({ body, contentType: JSON_TYPE, stripUsage });
  }
  const body = { ...json, model, stream_options: { ...options, include_usage: true } };
  return Promise.resolve({ body: JSON.stringify(body), contentType: JSON_TYPE, stripUsage });
}

async function multipartBody(request: ParsedRequest, model: string): Promise<UpstreamBody> {
  if (!request.form || model === request.model) return sameBody(request, model);
  const form = new FormData();
  for (const [name, value] of request.form) form.append(name, name === 'model' ? model : value);
  const encoded = new Response(form);
  return {
    body: new Uint8Array(await encoded.arrayBuffer()),
    contentType: encoded.headers.get('content-type'),
    stripUsage: false,
  };
}

function translatedBody(convert: (json: JsonObject, model: string) => JsonObject) {
  return (request: ParsedRequest, model: string): Promise<UpstreamBody> =>
    Promise.resolve({
      body: JSON.stringify(convert(request.json ?? {}, model)),
      contentType: JSON_TYPE,
      stripUsage: false,
    });
}

const asJson =
  (parse: (body: JsonObject, atNs: bigint) => ResponseTelemetry) =>
  (body: JsonObject | string, atNs: bigint): ResponseTelemetry =>
    typeof body === 'string' ? emptyResponse() : parse(body, atNs);

const OPENAI_CHAT: Omit<Exchange, 'body' | 'crossFormat'> = {
  endpoint: 'chat_completions',
  binary: false,
  parseResponse: asJson(openaiChatResponse),
  accumulator: () => new OpenAIChatStreamAccumulator(),
};
const ANTHROPIC_MESSAGES: Omit<Exchange, 'body' | 'crossFormat'> = {
  endpoint: 'messages',
  binary: false,
  parseResponse: asJson(anthropicResponse),
  accumulator: () => new AnthropicStreamAccumulator(),
};

function simple(
  endpoint: UpstreamEndpoint,
  parse: Exchange['parseResponse'],
  binary = false,
): Exchange {
  return {
    endpoint,
    crossFormat: false,
    binary,
    body: endpoint === 'audio_transcription' ? multipartBody : sameBody,
    parseResponse: parse,
    accumulator: () => null,
  };
}

const exchanges = new Map<string, Exchange | null>();

/** The exchange for a caller format on a wire format; null when that pairing is unsupported. */
export function exchangeFor(caller: CallerFormat, format: WireFormat): Exchange | null {
  const key = `${caller} ${format}`;
  let exchange = exchanges.get(key);
  if (exchange === undefined) {
    exchange = buildExchange(caller, format);
    exchanges.set(key, exchange);
  }
  return exchange;
}

function buildExchange(caller: CallerFormat, format: WireFormat): Exchange | null {
  if (caller === 'chat_completions') {
    if (format === 'openai') return { ...OPENAI_CHAT, crossFormat: false, body: chatBody };
    return {
      ...ANTHROPIC_MESSAGES,
      crossFormat: true,
      body: translatedBody(chatToAnthropicRequest),
      translateResponse: anthropicToChatResponse,
      translator: (request) =>
        new AnthropicToChatStream(asObject(request.json?.stream_options)?.include_usage === true),
    };
  }
  if (caller === 'messages') {
    if (format === 'anthropic')
      return { ...ANTHROPIC_MESSAGES, crossFormat: false, body: sameBody };
    return {
      ...OPENAI_CHAT,
      crossFormat: true,
      body: translatedBody(anthropicToChatRequest),
      translateResponse: chatToAnthropicResponse,
      translator: () => new ChatToAnthropicStream(),
    };
  }
  if (format !== 'openai') return null;
  switch (caller) {
    case 'responses':
      return {
        ...simple('responses', asJson(responsesResponse)),
        accumulator: () => new ResponsesStreamAccumulator(),
      };
    case 'embeddings':
      return simple('embeddings', asJson(embeddingsResponse));
    case 'image_generation':
      return simple('image_generation', asJson(imageResponse));
    case 'audio_speech':
      return simple('audio_speech', () => emptyResponse(), true);
    case 'audio_transcription':
      return simple('audio_transcription', (body) => transcriptionResponse(body));
  }
}
