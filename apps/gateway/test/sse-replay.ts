/**
 * Replays a recorded SSE body through the gateway's relay ({@link RelayCore}: the real
 * eventsource-parser feed, accumulator and translator) in the chunks given, and every
 * two-chunk split of it, for the unit tests of the stream parsers and translators.
 */
import { PassThrough } from 'node:stream';
import { RelayCore, type RelayOptions, type RelayOutcome } from '../src/node-io/relay-core.ts';
import type { StreamAccumulator, StreamTranslator } from '../src/wire/stream-accumulator.ts';
import type { ResponseTelemetry } from '../src/wire/types.ts';

/** What one replay gave: the client's text, the outcome, and the accumulated telemetry. */
export interface Replay {
  text: string;
  outcome: RelayOutcome['kind'] | undefined;
  /** The accumulator's result with the tool-call timestamps left out (they vary per run). */
  result: ResponseTelemetry;
}

/** Fresh reader state for one replay. */
export interface ReplaySetup {
  accumulator: StreamAccumulator;
  translator?: StreamTranslator;
}

/** Feeds `chunks` to a relay in `mode` and ends it. */
export function replay(
  chunks: Uint8Array[],
  setup: ReplaySetup,
  mode: RelayOptions['mode'] = setup.translator ? 'translate' : 'bytes',
): Replay {
  let outcome: RelayOutcome['kind'] | undefined;
  const core = new RelayCore({
    body: new PassThrough(),
    accumulator: setup.accumulator,
    mode,
    ...(setup.translator ? { translator: setup.translator } : {}),
    errorEvent: (message) => `data: {"error":{"message":"${message}"}}\n\n`,
    abortUpstream: () => undefined,
    onEnd: (end) => {
      outcome = end.kind;
    },
  });
  const decoder = new TextDecoder();
  let text = '';
  for (const chunk of chunks) {
    const out = core.push(chunk);
    text += typeof out === 'string' ? out : decoder.decode(out, { stream: true });
  }
  text += decoder.decode();
  text += core.end();
  const result = setup.accumulator.result();
  const toolCalls = result.toolCalls.map(({ startNs: _s, endNs: _e, ...call }) => call);
  return { text, outcome, result: { ...result, toolCalls } as ResponseTelemetry };
}

/** Replays `body` as one chunk. */
export function replayWhole(body: string, setup: ReplaySetup, mode?: RelayOptions['mode']): Replay {
  return replay([new TextEncoder().encode(body)], setup, mode);
}

/** The body as one chunk, then as [0,i) and [i,len) for every byte boundary i. */
export function* everySplit(body: string): Generator<Uint8Array[]> {
  const bytes = new TextEncoder().encode(body);
  yield [bytes];
  for (let i = 1; i < bytes.length; i++) yield [bytes.subarray(0, i), bytes.subarray(i)];
}

/**
 * Replays `body` whole and split at every byte boundary; returns the whole replay and the
 * byte offsets whose replay differed from it (empty when the reader is split-proof).
 */
export function replayEverySplit(
  body: string,
  setup: () => ReplaySetup,
  mode?: RelayOptions['mode'],
): { whole: Replay; differing: number[] } {
  const [first, ...rest] = [...everySplit(body)];
  const whole = replay(first ?? [], setup(), mode);
  const expected = serialise(whole);
  const differing: number[] = [];
  rest.forEach((chunks, index) => {
    if (serialise(replay(chunks, setup(), mode)) !== expected) differing.push(index + 1);
  });
  return { whole, differing };
}

function serialise(replayed: Replay): string {
  return JSON.stringify(replayed, (_key, value) =>
    typeof value === 'bigint' ? `${value}n` : value,
  );
}
