/**
 * The contracts of the stream readers: an accumulator sees every SSE event as it passes
 * (never holding the stream back) and builds the same {@link ResponseTelemetry} the
 * non-streamed answer would give; a translator re-emits the events in another wire format.
 */
import type { EventSourceMessage } from 'eventsource-parser';
import type { ResponseTelemetry } from './types.ts';

/** What one event meant. */
export interface EventVerdict {
  /** It carried content (text, reasoning or tool-call delta): the first one is TTFT. */
  content: boolean;
  /** An OpenAI usage-only chunk (added by the gateway's `include_usage`). */
  usageOnly: boolean;
}

/** Accumulates one upstream stream. */
export interface StreamAccumulator {
  onEvent(event: EventSourceMessage, atNs: bigint): EventVerdict;
  /** The terminal marker was seen (`[DONE]`, `message_stop`, `response.completed`). */
  readonly complete: boolean;
  /**
   * Message of an error event sent by the upstream inside the stream, or of the first event
   * whose data is not a JSON object ({@link malformedEvent}).
   */
  readonly upstreamError: string | undefined;
  result(): ResponseTelemetry;
}

/** Re-emits upstream events in the caller's SSE format (cross-format streaming). */
export interface StreamTranslator {
  /** SSE text for one upstream event ('' to send nothing). */
  onEvent(event: EventSourceMessage): string;
  /** SSE text once the upstream finished cleanly. */
  end(): string;
}

/** Verdict of an event that carries nothing of interest. */
export const NOTHING: EventVerdict = { content: false, usageOnly: false };
/** Verdict of a content event. */
export const CONTENT: EventVerdict = { content: true, usageOnly: false };

/** Parses an event's JSON data; undefined when it is not a JSON object. */
export function eventJson(data: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The `upstreamError` of an event whose data is not a JSON object (`[DONE]` is handled before):
 * the event is still relayed, but the span must say the upstream sent garbage. An empty `data:`
 * is let through (some OpenAI-compatible servers send one as a keep-alive).
 */
export function malformedEvent(data: string): string | undefined {
  return data === '' ? undefined : 'upstream stream sent an event that is not JSON';
}
