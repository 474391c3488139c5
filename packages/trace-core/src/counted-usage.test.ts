import { describe, expect, it } from 'vitest';
import { countedUsage, innermostSpans, type UsageSpan } from './counted-usage.ts';

function span(spanId: string, parentSpanId: string | null, attributes = {}): UsageSpan {
  return { spanId, parentSpanId, attributes };
}
const usage = (input: number, output: number, cost?: number) => ({
  'gen_ai.usage.input_tokens': input,
  'gen_ai.usage.output_tokens': String(output),
  ...(cost === undefined ? {} : { 'gen_ai.usage.cost': cost }),
});

describe('countedUsage', () => {
  it('counts a wrapper and the call below it once, through the innermost span', () => {
    const spans = [
      span('sdk', null, usage(11, 7)),
      span('http', 'sdk'),
      span('genai', 'http', usage(11, 7, 0.5)),
    ];
    expect(countedUsage(spans)).toEqual({ inputTokens: 11, outputTokens: 7, cost: 0.5 });
  });

  it('sums sibling calls, and reports no cost when none is priced', () => {
    const spans = [
      span('root', null),
      span('a', 'root', usage(1, 2)),
      span('b', 'root', usage(3, 4)),
    ];
    expect(countedUsage(spans)).toEqual({ inputTokens: 4, outputTokens: 6, cost: null });
  });

  it('counts a gateway span whose parent was never exported instead of the library span around it', () => {
    // A Langfuse generation around a call through the gateway, the HTTP client span between
    // them filtered out by the Langfuse processor: the gateway's spans point at a missing parent.
    const timed = (
      id: string,
      parent: string | null,
      start: number,
      end: number,
      source: string,
      attributes = {},
    ): UsageSpan => ({
      ...span(id, parent, attributes),
      source,
      startTimeUnixNano: String(start),
      endTimeUnixNano: BigInt(end),
    });
    const spans = [
      timed('root', null, 0, 1000, 'ingest'),
      timed('generation', 'root', 100, 900, 'ingest', usage(11, 7)),
      timed('gw-http', 'undici-not-exported', 150, 850, 'gateway'),
      timed('gw-genai', 'gw-http', 160, 840, 'gateway', usage(11, 7, 0.5)),
      // A library call beside it, not containing the gateway's span, still counts.
      timed('other', 'root', 910, 990, 'ingest', usage(3, 4)),
    ];
    expect(
      innermostSpans(spans, (s) => s.attributes['gen_ai.usage.input_tokens'] !== undefined).map(
        (s) => s.spanId,
      ),
    ).toEqual(['gw-genai', 'other']);
    expect(countedUsage(spans)).toEqual({ inputTokens: 14, outputTokens: 11, cost: 0.5 });
    // Without the gateway's own mark nothing is placed: both count, as before.
    const unmarked = spans.map((s) => ({ ...s, source: 'ingest' }));
    expect(countedUsage(unmarked).inputTokens).toBe(25);
  });

  it('ends on a parent cycle: spans that are each other’s ancestors are neither innermost', () => {
    const spans = [span('a', 'b', usage(1, 1)), span('b', 'a', usage(2, 2))];
    expect(innermostSpans(spans, () => true)).toEqual([]);
  });
});
