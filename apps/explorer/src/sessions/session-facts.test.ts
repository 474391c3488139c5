import { describe, expect, it } from 'vitest';
import type { TraceSummary } from '../api/types.ts';
import { sessionFacts } from './session-facts.ts';

const summary = (startMs: number, durationMs: number, extra: Partial<TraceSummary> = {}) =>
  ({
    traceId: String(startMs),
    rootName: 'chat',
    startTimeUnixNano: (BigInt(startMs) * 1_000_000n).toString(),
    durationMs,
    spanCount: 2,
    status: 'ok',
    models: [],
    providers: [],
    inputTokens: 10,
    outputTokens: 2,
    cost: null,
    sessionId: 's',
    ...extra,
  }) satisfies TraceSummary;

describe('sessionFacts', () => {
  it('sums tokens and cost and spans first start to last end', () => {
    const facts = sessionFacts([
      summary(1000, 500, { cost: 0.25 }),
      summary(5000, 3000, { status: 'error' }),
      summary(2000, 100, { cost: 0.5 }),
    ]);
    expect(facts).toEqual({
      traceCount: 3,
      inputTokens: 30,
      outputTokens: 6,
      cost: 0.75,
      durationMs: 7000,
      firstStartUnixNano: '1000000000',
      lastStartUnixNano: '5000000000',
      errorCount: 1,
    });
  });

  it('has no cost without a priced trace and no times without traces', () => {
    expect(sessionFacts([summary(1000, 10)]).cost).toBeNull();
    expect(sessionFacts([])).toMatchObject({
      traceCount: 0,
      durationMs: 0,
      firstStartUnixNano: null,
    });
  });
});
