/**
 * Cross-format answers to an OpenAI-shaped caller from an Anthropic upstream: a Messages
 * response becomes a chat completion, and a Messages event stream becomes chat-completion
 * chunks (ending with the usage chunk when the caller asked for it, then `[DONE]`).
 */
import type { EventSourceMessage } from 'eventsource-parser';
import { anthropicUsage } from '../anthropic/messages.ts';
import { asArray, asCount, asObject, asString, type JsonObject } from '../json-fields.ts';
import type { StreamTranslator } from '../stream-accumulator.ts';
import { eventJson } from '../stream-accumulator.ts';
import type { Usage } from '../types.ts';
import { toOpenAIFinish } from './stop-reasons.ts';
import { toOpenAIToolCall } from './tool-calls.ts';

function chatUsage(usage: Usage): JsonObject {
  const prompt = usage.inputTokens ?? 0;
  const completion = usage.outputTokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: usage.cacheReadTokens ?? 0 },
  };
}

/** A chat completion for an Anthropic message. */
export function anthropicToChatResponse(message: JsonObject): JsonObject {
  let text = '';
  const toolCalls: JsonObject[] = [];
  for (const raw of asArray(message.content) ?? []) {
    const block = asObject(raw);
    if (block?.type === 'text') text += asString(block.text) ?? '';
    if (block?.type === 'tool_use') toolCalls.push(toOpenAIToolCall(block));
  }
  return {
    id: asString(message.id) ?? '',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: asString(message.model) ?? '',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text === '' && toolCalls.length > 0 ? null : text,
          refusal: null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: toOpenAIFinish(asString(message.stop_reason)) ?? 'stop',
      },
    ],
    usage: chatUsage(anthropicUsage(message.usage)),
  };
}

/** Re-emits an Anthropic Messages stream as chat-completion chunks. */
export class AnthropicToChatStream implements StreamTranslator {
  #id = '';
  #model = '';
  readonly #created = Math.floor(Date.now() / 1000);
  #usage: Usage = {};
  readonly #toolIndex = new Map<number, number>();

  /** `includeUsage`: the caller asked for the final usage chunk. */
  constructor(private readonly includeUsage: boolean) {}

  #chunk(delta: JsonObject, finishReason: string | null = null): string {
    const chunk = {
      id: this.#id,
      object: 'chat.completion.chunk',
      created: this.#created,
      model: this.#model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    };
    return `data: ${JSON.stringify(chunk)}\n\n`;
  }

  onEvent(event: EventSourceMessage): string {
    const data = eventJson(event.data);
    if (!data) return '';
    const index = asCount(data.index) ?? 0;
    switch (data.type) {
      case 'message_start': {
        const message = asObject(data.message);
        this.#id = asString(message?.id) ?? '';
        this.#model = asString(message?.model) ?? '';
        this.#usage = anthropicUsage(message?.usage, this.#usage);
        return this.#chunk({ role: 'assistant', content: '' });
      }
      case 'content_block_start': {
        const block = asObject(data.content_block);
        if (block?.type !== 'tool_use') return '';
        const toolIndex = this.#toolIndex.size;
        this.#toolIndex.set(index, toolIndex);
        const call = {
          index: toolIndex,
          id: asString(block.id) ?? '',
          type: 'function',
          function: { name: asString(block.name) ?? '', arguments: '' },
        };
        return this.#chunk({ tool_calls: [call] });
      }
      case 'content_block_delta': {
        const delta = asObject(data.delta);
        if (delta?.type === 'text_delta')
          return this.#chunk({ content: asString(delta.text) ?? '' });
        const toolIndex = this.#toolIndex.get(index);
        if (delta?.type === 'input_json_delta' && toolIndex !== undefined) {
          return this.#chunk({
            tool_calls: [
              { index: toolIndex, function: { arguments: asString(delta.partial_json) ?? '' } },
            ],
          });
        }
        return '';
      }
      case 'message_delta': {
        this.#usage = anthropicUsage(data.usage, this.#usage);
        const reason = toOpenAIFinish(asString(asObject(data.delta)?.stop_reason));
        return reason ? this.#chunk({}, reason) : '';
      }
      case 'message_stop': {
        const usage = this.includeUsage
          ? `data: ${JSON.stringify({ id: this.#id, object: 'chat.completion.chunk', created: this.#created, model: this.#model, choices: [], usage: chatUsage(this.#usage) })}\n\n`
          : '';
        return `${usage}data: [DONE]\n\n`;
      }
      case 'error': {
        const message = asString(asObject(data.error)?.message) ?? 'upstream error';
        return `data: ${JSON.stringify({ error: { message, type: 'server_error', param: null, code: 'upstream' } })}\n\n`;
      }
      default:
        return '';
    }
  }

  end(): string {
    return '';
  }
}
