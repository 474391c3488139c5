/**
 * Accumulates an OpenAI Responses SSE stream. The terminal `response.completed` (or
 * `response.incomplete` / `response.failed`) event carries the whole response object; deltas
 * give TTFT and tool-call timing.
 */
import type { EventSourceMessage } from 'eventsource-parser';
import { asObject, asString } from '../json-fields.ts';
import {
  CONTENT,
  type EventVerdict,
  eventJson,
  malformedEvent,
  NOTHING,
  type StreamAccumulator,
} from '../stream-accumulator.ts';
import { emptyResponse, type ResponseTelemetry } from '../types.ts';
import { responsesResponse } from './responses.ts';

const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed']);

/** Accumulator for Responses API streams. */
export class ResponsesStreamAccumulator implements StreamAccumulator {
  complete = false;
  upstreamError: string | undefined;
  #latest: Record<string, unknown> | undefined;
  #text = '';
  #lastNs = 0n;
  readonly #toolTimes = new Map<string, { startNs: bigint; endNs: bigint }>();

  onEvent(event: EventSourceMessage, atNs: bigint): EventVerdict {
    const data = eventJson(event.data);
    if (!data) {
      this.upstreamError ??= malformedEvent(event.data);
      return NOTHING;
    }
    this.#lastNs = atNs;
    const type = asString(data.type) ?? event.event ?? '';
    const response = asObject(data.response);
    if (response) this.#latest = response;
    if (TERMINAL.has(type)) {
      this.complete = true;
      if (type === 'response.failed') {
        this.upstreamError = asString(asObject(response?.error)?.message) ?? 'response failed';
      }
      return NOTHING;
    }
    if (type === 'error') {
      this.upstreamError = asString(data.message) ?? 'upstream stream error';
      return NOTHING;
    }
    const item = asObject(data.item);
    const callId = asString(item?.call_id);
    if (item?.type === 'function_call' && callId) {
      const times = this.#toolTimes.get(callId);
      if (times) times.endNs = atNs;
      else this.#toolTimes.set(callId, { startNs: atNs, endNs: atNs });
    }
    if (type === 'response.output_text.delta') this.#text += asString(data.delta) ?? '';
    return type.endsWith('.delta') ? CONTENT : NOTHING;
  }

  result(): ResponseTelemetry {
    if (this.#latest) {
      const result = responsesResponse(this.#latest, this.#lastNs, this.#toolTimes);
      if (!this.complete && this.#text) {
        result.output = [{ role: 'assistant', parts: [{ type: 'text', content: this.#text }] }];
      }
      return result;
    }
    const result = emptyResponse();
    if (this.#text)
      result.output = [{ role: 'assistant', parts: [{ type: 'text', content: this.#text }] }];
    return result;
  }
}
