/** Spans for the explorer's unit tests, in the read API's shape. */
import type { Span } from '../api/types.ts';

/** A span with `name`, `parent` and times in milliseconds from the epoch; the rest is filled in. */
export function testSpan(
  spanId: string,
  parentSpanId: string | null,
  startMs: number,
  endMs: number,
  extra: Partial<Span> = {},
): Span {
  return {
    traceId: 'a'.repeat(32),
    spanId,
    parentSpanId,
    name: spanId,
    kind: 'INTERNAL',
    startTimeUnixNano: (BigInt(startMs) * 1_000_000n).toString(),
    endTimeUnixNano: (BigInt(endMs) * 1_000_000n).toString(),
    status: { code: 'UNSET' },
    attributes: {},
    resource: { attributes: {} },
    events: [],
    links: [],
    source: 'otlp',
    ...extra,
  };
}
