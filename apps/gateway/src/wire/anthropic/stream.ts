/**
 * Accumulates an Anthropic Messages SSE stream: content blocks (text, tool_use with its
 * `input_json_delta`s, thinking), stop reason and usage from `message_start`/`message_delta`.
 */
import type { EventSourceMessage } from 'eventsource-parser';
import {
  asCount,
  asObject,
  asString,
  canonicalArguments,
  parseToolArguments,
} from '../json-fields.ts';
import {
  CONTENT,
  type EventVerdict,
  eventJson,
  malformedEvent,
  NOTHING,
  type StreamAccumulator,
} from '../stream-accumulator.ts';
import type { MessagePart, ResponseTelemetry, ToolCall, Usage } from '../types.ts';
import { anthropicUsage } from './messages.ts';

interface Block {
  type: string;
  text: string;
  id?: string | undefined;
  name?: string | undefined;
  startNs: bigint;
  endNs: bigint;
}

/** Accumulator for Anthropic message streams. */
export class AnthropicStreamAccumulator implements StreamAccumulator {
  complete = false;
  upstreamError: string | undefined;
  #id: string | undefined;
  #model: string | undefined;
  #stopReason: string | undefined;
  #usage: Usage = {};
  readonly #blocks = new Map<number, Block>();

  onEvent(event: EventSourceMessage, atNs: bigint): EventVerdict {
    const data = eventJson(event.data);
    if (!data) {
      this.upstreamError ??= malformedEvent(event.data);
      return NOTHING;
    }
    switch (data.type) {
      case 'message_start': {
        const message = asObject(data.message);
        this.#id = asString(message?.id);
        this.#model = asString(message?.model);
        this.#usage = anthropicUsage(message?.usage, this.#usage);
        return NOTHING;
      }
      case 'content_block_start': {
        const block = asObject(data.content_block);
        const index = asCount(data.index) ?? this.#blocks.size;
        this.#blocks.set(index, {
          type: asString(block?.type) ?? 'text',
          text: asString(block?.text) ?? '',
          id: asString(block?.id),
          name: asString(block?.name),
          startNs: atNs,
          endNs: atNs,
        });
        return NOTHING;
      }
      case 'content_block_delta':
        return this.#delta(data, atNs);
      case 'message_delta':
        this.#stopReason = asString(asObject(data.delta)?.stop_reason) ?? this.#stopReason;
        this.#usage = anthropicUsage(data.usage, this.#usage);
        return NOTHING;
      case 'message_stop':
        this.complete = true;
        return NOTHING;
      case 'error':
        this.upstreamError = asString(asObject(data.error)?.message) ?? 'upstream stream error';
        return NOTHING;
      default:
        return NOTHING;
    }
  }

  #delta(data: Record<string, unknown>, atNs: bigint): EventVerdict {
    const block = this.#blocks.get(asCount(data.index) ?? 0);
    const delta = asObject(data.delta);
    if (!block || !delta) return NOTHING;
    const piece =
      asString(delta.text) ?? asString(delta.partial_json) ?? asString(delta.thinking) ?? '';
    block.text += piece;
    block.endNs = atNs;
    return delta.type === 'signature_delta' ? NOTHING : CONTENT;
  }

  result(): ResponseTelemetry {
    const parts: MessagePart[] = [];
    const toolCalls: ToolCall[] = [];
    for (const index of [...this.#blocks.keys()].sort((a, b) => a - b)) {
      const block = this.#blocks.get(index);
      if (!block) continue;
      if (block.type === 'text' && block.text) parts.push({ type: 'text', content: block.text });
      else if (block.type === 'thinking' && block.text)
        parts.push({ type: 'reasoning', content: block.text });
      else if (block.type === 'tool_use' && block.name) {
        parts.push({
          type: 'tool_call',
          ...(block.id ? { id: block.id } : {}),
          name: block.name,
          arguments: parseToolArguments(block.text),
        });
        toolCalls.push({
          id: block.id,
          name: block.name,
          arguments: canonicalArguments(block.text),
          startNs: block.startNs,
          endNs: block.endNs,
        });
      }
    }
    const reason = this.#stopReason;
    return {
      id: this.#id,
      model: this.#model,
      finishReasons: reason ? [reason] : undefined,
      usage: this.#usage,
      output: [{ role: 'assistant', parts, ...(reason ? { finish_reason: reason } : {}) }],
      toolCalls,
    };
  }
}
