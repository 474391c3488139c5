/**
 * Relays an upstream response body to the client as it arrives (SPEC §4 "Streaming"), reading
 * one upstream chunk per client pull so backpressure reaches the upstream. SSE bodies are
 * parsed on the way (eventsource-parser) for usage, content and TTFT. Three modes:
 * `bytes` forwards the upstream bytes untouched; `filter` re-emits every event except the
 * usage-only chunk the gateway asked for; `translate` re-emits events in the caller's format.
 * A stream that ends without its terminal event, or breaks, is reported as `cut`; a client
 * that goes away cancels the relay, which aborts the upstream request.
 */
import type { Readable } from 'node:stream';
import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';
import type { StreamAccumulator } from '../formats/stream-accumulator.ts';
import { nowNs } from '../telemetry/clock.ts';

/** Re-emits upstream events in the caller's SSE format (cross-format streaming). */
export interface StreamTranslator {
  /** SSE text for one upstream event ('' to send nothing). */
  onEvent(event: EventSourceMessage): string;
  /** SSE text once the upstream finished cleanly. */
  end(): string;
}

/** How the relayed stream ended. */
export interface RelayOutcome {
  kind: 'complete' | 'cut' | 'client_abort' | 'upstream_error';
  message?: string;
  firstByteNs?: bigint;
  firstContentNs?: bigint;
  endNs: bigint;
}

/** Relay options. */
export interface RelayOptions {
  /** The upstream body. */
  body: Readable;
  /** Null for a binary body (no parsing). */
  accumulator: StreamAccumulator | null;
  mode: 'bytes' | 'filter' | 'translate';
  translator?: StreamTranslator;
  /** SSE text that tells the client's SDK the stream failed (caller's format). */
  errorEvent: (message: string) => string;
  /** Aborts the upstream request. */
  abortUpstream: () => void;
  onEnd: (outcome: RelayOutcome) => void;
}

const encoder = new TextEncoder();

/** Serialises one event back to SSE text. */
export function formatEvent(event: EventSourceMessage): string {
  const head = event.event ? `event: ${event.event}\n` : '';
  const id = event.id !== undefined ? `id: ${event.id}\n` : '';
  return `${head}${id}data: ${event.data.split('\n').join('\ndata: ')}\n\n`;
}

/** A ReadableStream relaying `options.body` to the client. */
export function relayStream(options: RelayOptions): ReadableStream<Uint8Array> {
  const { accumulator, mode } = options;
  const reader = options.body[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  const decoder = new TextDecoder();
  let out = '';
  let firstByteNs: bigint | undefined;
  let firstContentNs: bigint | undefined;
  let ended = false;

  const finish = (kind: RelayOutcome['kind'], message?: string): void => {
    if (ended) return;
    ended = true;
    options.onEnd({
      kind,
      endNs: nowNs(),
      firstByteNs,
      firstContentNs,
      ...(message ? { message } : {}),
    });
  };

  const onEvent = (event: EventSourceMessage): void => {
    if (!accumulator) return;
    const at = nowNs();
    const verdict = accumulator.onEvent(event, at);
    if (verdict.content && firstContentNs === undefined) firstContentNs = at;
    if (mode === 'filter' && !verdict.usageOnly) out += formatEvent(event);
    else if (mode === 'translate' && options.translator) out += options.translator.onEvent(event);
  };
  const parser: EventSourceParser | null = accumulator
    ? createParser({
        onEvent,
        onComment: (comment) => {
          if (mode !== 'bytes') out += `:${comment}\n\n`;
        },
      })
    : null;

  const endOfUpstream = (controller: ReadableStreamDefaultController<Uint8Array>): void => {
    parser?.feed(`${decoder.decode()}\n\n`);
    if (mode === 'translate' && options.translator && accumulator?.complete) {
      out += options.translator.end();
    }
    if (out) controller.enqueue(encoder.encode(out));
    out = '';
    if (accumulator?.upstreamError) finish('upstream_error', accumulator.upstreamError);
    else if (accumulator && !accumulator.complete) {
      controller.enqueue(encoder.encode(options.errorEvent('upstream stream ended early')));
      finish('cut', 'upstream stream ended before its final event');
    } else finish('complete');
    controller.close();
  };

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        for (;;) {
          let chunk: IteratorResult<Uint8Array>;
          try {
            chunk = await reader.next();
          } catch (error) {
            if (ended) return;
            const reason = error instanceof Error ? error.message : 'read failed';
            finish('cut', `upstream stream interrupted: ${reason}`);
            if (!parser) {
              // A binary body has no in-band error: break the response so the client notices.
              controller.error(new Error('upstream stream interrupted'));
              return;
            }
            controller.enqueue(
              encoder.encode(`\n\n${options.errorEvent('upstream stream interrupted')}`),
            );
            controller.close();
            return;
          }
          if (chunk.done) {
            endOfUpstream(controller);
            return;
          }
          firstByteNs ??= nowNs();
          if (parser) parser.feed(decoder.decode(chunk.value, { stream: true }));
          if (mode === 'bytes') {
            controller.enqueue(chunk.value);
            return;
          }
          if (out) {
            controller.enqueue(encoder.encode(out));
            out = '';
            return;
          }
        }
      },
      cancel() {
        finish('client_abort', 'client disconnected');
        options.abortUpstream();
        options.body.destroy();
      },
    },
    { highWaterMark: 0 },
  );
}
