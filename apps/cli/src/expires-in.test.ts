import { describe, expect, it } from 'vitest';
import { parseExpiresIn } from './expires-in.ts';

const now = new Date('2025-01-01T00:00:00.000Z');

describe('parseExpiresIn', () => {
  it('adds seconds, minutes, hours or days to now', () => {
    expect(parseExpiresIn('90s', now)?.toISOString()).toBe('2025-01-01T00:01:30.000Z');
    expect(parseExpiresIn('15m', now)?.toISOString()).toBe('2025-01-01T00:15:00.000Z');
    expect(parseExpiresIn('12h', now)?.toISOString()).toBe('2025-01-01T12:00:00.000Z');
    expect(parseExpiresIn('30d', now)?.toISOString()).toBe('2025-01-31T00:00:00.000Z');
  });

  it('returns null for zero, fractions, other units or dates beyond what Date holds', () => {
    for (const text of ['0d', '1.5h', '2w', 'd', '', '30 days', '99999999999999d']) {
      expect(parseExpiresIn(text, now)).toBeNull();
    }
  });
});
