import { describe, expect, it } from 'vitest';
import { formatCost, formatDuration, formatModel, formatTime } from './format.ts';

describe('format', () => {
  it('writes durations in the unit that reads best', () => {
    expect([0.25, 12.4, 2310, 245_000].map(formatDuration)).toEqual([
      '0.3 ms',
      '12 ms',
      '2.31 s',
      '4m 05s',
    ]);
  });

  it('writes unknown cost as a dash and fractions of a cent with two significant digits', () => {
    expect([null, 0, 0.0000051, 1.5].map(formatCost)).toEqual(['—', '$0', '$0.0000051', '$1.5000']);
  });

  it('joins provider and model, a dash when the trace has neither', () => {
    expect(formatModel(['openai'], ['gpt-4o-mini'])).toBe('openai / gpt-4o-mini');
    expect(formatModel([], [])).toBe('—');
  });

  it('writes local time with or without milliseconds', () => {
    const ns = (BigInt(new Date(2026, 0, 2, 3, 4, 5, 67).getTime()) * 1_000_000n).toString();
    expect(formatTime(ns)).toBe('2026-01-02 03:04:05.067');
    expect(formatTime(ns, false)).toBe('2026-01-02 03:04:05');
  });
});
