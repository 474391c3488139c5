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

  it('ends on a parent cycle: spans that are each other’s ancestors are neither innermost', () => {
    const spans = [span('a', 'b', usage(1, 1)), span('b', 'a', usage(2, 2))];
    expect(innermostSpans(spans, () => true)).toEqual([]);
  });
});
