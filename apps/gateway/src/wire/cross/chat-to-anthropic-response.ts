/**
 * Cross-format answers to an Anthropic-shaped caller from an OpenAI upstream: a chat
 * completion becomes a Messages response, and chat-completion chunks become the Messages
 * event sequence (message_start, content blocks, message_delta with usage, message_stop).
 */
import type { EventSourceMessage } from 'eventsource-parser';
import { asArray, asCount, asObject, asString, type JsonObject } from '../json-fields.ts';
import { openaiUsage } from '../openai/chat.ts';
import type { StreamTranslator } from '../stream-accumulator.ts';
import { eventJson } from '../stream-accumulator.ts';
import type { Usage } from '../types.ts';
import { toAnthropicStop } from './stop-reasons.ts';
import { toAnthropicToolUse } from './tool-calls.ts';

function messagesUsage(usage: Usage): JsonObject {
  const cached = usage.cacheReadTokens ?? 0;
  return {
    input_tokens: Math.max(0, (usage.inputTokens ?? 0) - cached),
    output_tokens: usage.outputTokens ?? 0,
    cache_read_input_tokens: cached,
    cache_creation_input_tokens: 0,
  };
}

/** A Messages response for a chat completion. */
export function chatToAnthropicResponse(completion: JsonObject): JsonObject {
  const choice = asObject(asArray(completion.choices)?.[0]);
  const message = asObject(choice?.message);
  const content: JsonObject[] = [];
  const text = asString(message?.content);
  if (text) content.push({ type: 'text', text });
  for (const call of asArray(message?.tool_calls) ?? [])
    content.push(toAnthropicToolUse(asObject(call)));
  return {
    id: asString(completion.id) ?? '',
    type: 'message',
    role: 'assistant',
    model: asString(completion.model) ?? '',
    content,
    stop_reason: toAnthropicStop(asString(choice?.finish_reason)) ?? 'end_turn',
    stop_sequence: null,
    usage: messagesUsage(openaiUsage(completion.usage)),
  };
}

function sse(type: string, data: JsonObject): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

/** Re-emits chat-completion chunks as a Messages event stream. */
export class ChatToAnthropicStream implements StreamTranslator {
  #started = false;
  #block = -1;
  #blockKind: 'text' | 'tool' | null = null;
  readonly #toolBlocks = new Map<number, number>();
  #stopReason: string | null = null;
  #usage: Usage = {};

  #open(kind: 'text' | 'tool', contentBlock: JsonObject): string {
    const close = this.#close();
    this.#block += 1;
    this.#blockKind = kind;
    return `${close}${sse('content_block_start', { index: this.#block, content_block: contentBlock })}`;
  }

  #close(): string {
    if (this.#blockKind === null) return '';
    this.#blockKind = null;
    return sse('content_block_stop', { index: this.#block });
  }

  onEvent(event: EventSourceMessage): string {
    if (event.data === '[DONE]') {
      return `${this.#close()}${sse('message_delta', {
        delta: { stop_reason: this.#stopReason ?? 'end_turn', stop_sequence: null },
        usage: messagesUsage(this.#usage),
      })}${sse('message_stop', {})}`;
    }
    const chunk = eventJson(event.data);
    if (!chunk) return '';
    const error = asObject(chunk.error);
    if (error) {
      return sse('error', {
        error: { type: 'api_error', message: asString(error.message) ?? 'upstream error' },
      });
    }
    let out = '';
    if (!this.#started) {
      this.#started = true;
      const message = {
        id: asString(chunk.id) ?? '',
        type: 'message',
        role: 'assistant',
        model: asString(chunk.model) ?? '',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 0, output_tokens: 0 },
      };
      out += sse('message_start', { message });
    }
    if (chunk.usage) this.#usage = openaiUsage(chunk.usage);
    const choice = asObject(asArray(chunk.choices)?.[0]);
    const delta = asObject(choice?.delta);
    const text = asString(delta?.content);
    if (text) {
      if (this.#blockKind !== 'text') out += this.#open('text', { type: 'text', text: '' });
      out += sse('content_block_delta', {
        index: this.#block,
        delta: { type: 'text_delta', text },
      });
    }
    for (const raw of asArray(delta?.tool_calls) ?? []) {
      const call = asObject(raw);
      const toolIndex = asCount(call?.index) ?? 0;
      const fn = asObject(call?.function);
      if (!this.#toolBlocks.has(toolIndex)) {
        out += this.#open('tool', {
          type: 'tool_use',
          id: asString(call?.id) ?? '',
          name: asString(fn?.name) ?? '',
          input: {},
        });
        this.#toolBlocks.set(toolIndex, this.#block);
      }
      const args = asString(fn?.arguments);
      if (args) {
        out += sse('content_block_delta', {
          index: this.#toolBlocks.get(toolIndex) ?? this.#block,
          delta: { type: 'input_json_delta', partial_json: args },
        });
      }
    }
    const reason = toAnthropicStop(asString(choice?.finish_reason));
    if (reason) this.#stopReason = reason;
    return out;
  }

  end(): string {
    return '';
  }
}
