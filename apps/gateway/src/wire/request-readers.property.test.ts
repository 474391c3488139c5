/**
 * Property tests of the request and response readers and the cross-format translations: on any
 * JSON object (fields named as the wire names them, values of any type) they never throw, the
 * attributes they give are OTLP attribute values, and well-formed chat requests keep their
 * messages through telemetry and through a chat → Anthropic → chat translation.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wireObject } from '../../test/hostile-arbitraries.ts';
import { anthropicRequest, anthropicResponse } from './anthropic/messages.ts';
import { anthropicToChatRequest } from './cross/anthropic-to-chat-request.ts';
import { anthropicToChatResponse } from './cross/anthropic-to-chat-response.ts';
import { chatToAnthropicRequest } from './cross/chat-to-anthropic-request.ts';
import { chatToAnthropicResponse } from './cross/chat-to-anthropic-response.ts';
import type { JsonObject } from './json-fields.ts';
import { openaiChatRequest, openaiChatResponse } from './openai/chat.ts';
import { embeddingsRequest, embeddingsResponse } from './openai/embeddings.ts';
import { imageRequest, imageResponse, speechRequest } from './openai/media.ts';
import { responsesRequest, responsesResponse } from './openai/responses.ts';
import type { RequestTelemetry } from './types.ts';

const REQUEST_READERS: Record<string, (body: JsonObject, model: string) => RequestTelemetry> = {
  openaiChatRequest,
  responsesRequest,
  anthropicRequest,
  embeddingsRequest,
  imageRequest,
  speechRequest,
};

const RESPONSE_READERS: Record<string, (body: JsonObject) => unknown> = {
  openaiChatResponse: (body) => openaiChatResponse(body, 1n),
  responsesResponse: (body) => responsesResponse(body, 1n),
  anthropicResponse: (body) => anthropicResponse(body, 1n),
  embeddingsResponse,
  imageResponse,
  anthropicToChatResponse,
  chatToAnthropicResponse,
};

/** An OTLP attribute value: primitive, or an array / map of them; never undefined or bigint. */
function isAttributeValue(value: unknown): boolean {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return true;
  if (Array.isArray(value)) return value.every(isAttributeValue);
  if (typeof value === 'object') return Object.values(value as object).every(isAttributeValue);
  return false;
}

describe.each(Object.keys(REQUEST_READERS))('%s on hostile bodies', (name) => {
  const read = REQUEST_READERS[name] as (body: JsonObject, model: string) => RequestTelemetry;
  it('never throws, gives attribute values and JSON-serialisable content', () => {
    fc.assert(
      fc.property(wireObject, fc.string({ minLength: 1, maxLength: 20 }), (body, model) => {
        const telemetry = read(body, model);
        expect(telemetry.model).toBe(model);
        for (const value of Object.values(telemetry.attributes)) {
          expect(isAttributeValue(value)).toBe(true);
        }
        JSON.stringify([telemetry.input, telemetry.system]);
      }),
      { numRuns: 500 },
    );
  });
});

describe.each(Object.keys(RESPONSE_READERS))('%s on hostile bodies', (name) => {
  const read = RESPONSE_READERS[name] as (body: JsonObject) => unknown;
  it('never throws and gives JSON-serialisable output', () => {
    fc.assert(
      fc.property(wireObject, (body) => {
        JSON.stringify(read(body), (_key, value) =>
          typeof value === 'bigint' ? String(value) : value,
        );
      }),
      { numRuns: 500 },
    );
  });
});

describe('cross-format request translations on hostile bodies', () => {
  it('never throw and give JSON objects', () => {
    fc.assert(
      fc.property(wireObject, (body) => {
        for (const translated of [
          chatToAnthropicRequest(body, 'claude-x'),
          anthropicToChatRequest(body, 'gpt-x'),
        ]) {
          expect(JSON.parse(JSON.stringify(translated))).toBeTypeOf('object');
        }
      }),
      { numRuns: 500 },
    );
  });
});

/** A conversation that alternates user and assistant turns, starting with the user. */
const conversation = fc
  .array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), {
    minLength: 1,
    maxLength: 8,
  })
  .map((texts) =>
    texts.map((content, i) => ({ role: i % 2 === 0 ? 'user' : 'assistant', content })),
  );

function inputTexts(telemetry: RequestTelemetry): Array<[string, string]> {
  return (telemetry.input ?? []).map((message) => [
    message.role,
    message.parts.map((part) => (part.type === 'text' ? part.content : '')).join(''),
  ]);
}

describe('well-formed chat requests round-trip', () => {
  it('keep every message in the request telemetry', () => {
    fc.assert(
      fc.property(conversation, fc.string({ maxLength: 30 }), (messages, system) => {
        const body = {
          model: 'gpt-4o',
          messages: [...(system ? [{ role: 'system', content: system }] : []), ...messages],
        };
        const telemetry = openaiChatRequest(body, 'gpt-4o');
        expect(inputTexts(telemetry)).toEqual(messages.map((m) => [m.role, m.content]));
        const systemText = (telemetry.system ?? []).map((p) => ('content' in p ? p.content : ''));
        expect(systemText.join('')).toBe(system);
      }),
      { numRuns: 300 },
    );
  });

  it('keep their messages through chat → Anthropic → chat', () => {
    fc.assert(
      fc.property(conversation, (messages) => {
        const body = { model: 'gpt-4o', messages, max_tokens: 50 };
        const anthropic = chatToAnthropicRequest(body, 'claude-x');
        expect(inputTexts(anthropicRequest(anthropic, 'claude-x'))).toEqual(
          messages.map((m) => [m.role, m.content]),
        );
        const back = anthropicToChatRequest(anthropic, 'gpt-4o');
        expect(inputTexts(openaiChatRequest(back, 'gpt-4o'))).toEqual(
          messages.map((m) => [m.role, m.content]),
        );
      }),
      { numRuns: 300 },
    );
  });
});
