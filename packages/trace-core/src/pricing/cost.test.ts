import { describe, expect, it } from 'vitest';
import { costOf, priceOf } from './cost.ts';

describe('costOf', () => {
  it('prices dated snapshots by their base model', () => {
    expect(priceOf('gpt-4o-2024-08-06')).toEqual(priceOf('gpt-4o'));
    expect(priceOf('gpt-4o-mini-2024-07-18')).toEqual(priceOf('gpt-4o-mini'));
    expect(priceOf('claude-sonnet-4-5-20250929')).toEqual(priceOf('claude-sonnet-4-5'));
  });

  it('bills cached input at the cache prices', () => {
    const cost = costOf(['gpt-4o'], {
      inputTokens: 1_000_000,
      cacheReadTokens: 400_000,
      outputTokens: 100_000,
    });
    expect(cost).toBeCloseTo(0.6 * 2.5 + 0.4 * 1.25 + 0.1 * 10, 9);
    const anthropic = costOf(['claude-haiku-4-5'], {
      inputTokens: 1_000_000,
      cacheReadTokens: 200_000,
      cacheWriteTokens: 100_000,
      outputTokens: 0,
    });
    expect(anthropic).toBeCloseTo(0.7 * 1 + 0.2 * 0.1 + 0.1 * 1.25, 9);
  });

  it('gives no cost for an unknown model or a call without usage', () => {
    expect(costOf(['my-local-model'], { inputTokens: 10, outputTokens: 10 })).toBeUndefined();
    expect(costOf(['gpt-4o'], {})).toBeUndefined();
    expect(costOf([undefined, 'gpt-4o'], { outputTokens: 1_000_000 })).toBeCloseTo(10, 9);
  });
});
