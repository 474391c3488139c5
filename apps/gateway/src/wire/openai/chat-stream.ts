/**
 * Accumulates an OpenAI Chat Completions SSE stream: text, tool-call deltas (by index), finish
 * reasons, and usage from the terminal usage chunk.
 */
import type { EventSourceMessage } from 'eventsource-parser';
import {
  asArray,
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
import type { ChatMessage, MessagePart, ResponseTelemetry, ToolCall, Usage } from '../types.ts';
import { openaiUsage } from './chat.ts';

interface PendingTool {
  id?: string | undefined;
  name: string;
  arguments: string;
  startNs: bigint;
  endNs: bigint;
}

interface ChoiceState {
  role: string;
  text: string;
  refusal: string;
  tools: Map<number, PendingTool>;
  finishReason?: string;
}

const USAGE_ONLY: EventVerdict = { content: false, usageOnly: true };

/** Accumulator for OpenAI chat streams. */
export class OpenAIChatStreamAccumulator implements StreamAccumulator {
  complete = false;
  upstreamError: string | undefined;
  #id: string | undefined;
  #model: string | undefined;
  #usage: Usage = {};
  readonly #choices = new Map<number, ChoiceState>();

  onEvent(event: EventSourceMessage, atNs: bigint): EventVerdict {
    if (event.data === '[DONE]') {
      this.complete = true;
      return NOTHING;
    }
    const chunk = eventJson(event.data);
    if (!chunk) {
      this.upstreamError ??= malformedEvent(event.data);
      return NOTHING;
    }
    const error = asObject(chunk.error);
    if (error) {
      this.upstreamError = asString(error.message) ?? 'upstream stream error';
      return NOTHING;
    }
    this.#id ??= asString(chunk.id);
    this.#model ??= asString(chunk.model);
    const choices = asArray(chunk.choices) ?? [];
    if (chunk.usage !== undefined && chunk.usage !== null) this.#usage = openaiUsage(chunk.usage);
    if (choices.length === 0) return chunk.usage ? USAGE_ONLY : NOTHING;
    let content = false;
    for (const raw of choices) {
      const choice = asObject(raw);
      if (choice && this.#applyChoice(choice, atNs)) content = true;
    }
    return content ? CONTENT : NOTHING;
  }

  #applyChoice(choice: Record<string, unknown>, atNs: bigint): boolean {
    const index = typeof choice.index === 'number' ? choice.index : 0;
    let state = this.#choices.get(index);
    if (!state) {
      state = { role: 'assistant', text: '', refusal: '', tools: new Map() };
      this.#choices.set(index, state);
    }
    const reason = asString(choice.finish_reason);
    if (reason) state.finishReason = reason;
    const delta = asObject(choice.delta);
    if (!delta) return false;
    let content = false;
    const role = asString(delta.role);
    if (role) state.role = role;
    const text = asString(delta.content);
    if (text) {
      state.text += text;
      content = true;
    }
    const refusal = asString(delta.refusal);
    if (refusal) {
      state.refusal += refusal;
      content = true;
    }
    if (asString(delta.reasoning_content)) content = true;
    for (const rawTool of asArray(delta.tool_calls) ?? []) {
      const tool = asObject(rawTool);
      if (!tool) continue;
      content = true;
      const toolIndex = typeof tool.index === 'number' ? tool.index : state.tools.size;
      const fn = asObject(tool.function);
      let pending = state.tools.get(toolIndex);
      if (!pending) {
        pending = { name: '', arguments: '', startNs: atNs, endNs: atNs };
        state.tools.set(toolIndex, pending);
      }
      pending.id ??= asString(tool.id);
      pending.name += asString(fn?.name) ?? '';
      pending.arguments += typeof fn?.arguments === 'string' ? fn.arguments : '';
      pending.endNs = atNs;
    }
    return content;
  }

  result(): ResponseTelemetry {
    const output: ChatMessage[] = [];
    const finishReasons: string[] = [];
    const toolCalls: ToolCall[] = [];
    for (const index of [...this.#choices.keys()].sort((a, b) => a - b)) {
      const state = this.#choices.get(index);
      if (!state) continue;
      const parts: MessagePart[] = [];
      if (state.text) parts.push({ type: 'text', content: state.text });
      if (state.refusal) parts.push({ type: 'text', content: state.refusal });
      for (const tool of state.tools.values()) {
        if (!tool.name) continue;
        parts.push({
          type: 'tool_call',
          ...(tool.id ? { id: tool.id } : {}),
          name: tool.name,
          arguments: parseToolArguments(tool.arguments),
        });
        toolCalls.push({ ...tool, arguments: canonicalArguments(tool.arguments) });
      }
      if (state.finishReason) finishReasons.push(state.finishReason);
      output.push({
        role: state.role,
        parts,
        ...(state.finishReason ? { finish_reason: state.finishReason } : {}),
      });
    }
    return {
      id: this.#id,
      model: this.#model,
      finishReasons: finishReasons.length > 0 ? finishReasons : undefined,
      usage: this.#usage,
      output: output.length > 0 ? output : undefined,
      toolCalls,
    };
  }
}
