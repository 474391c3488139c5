import { describe, expect, it } from 'vitest';
import { parseTimeBound, parseTraceListQuery } from './trace-list-query.ts';

describe('parseTimeBound', () => {
  it('reads epoch milliseconds and RFC 3339 with offsets and nanoseconds', () => {
    expect(parseTimeBound('1774459800000')).toBe(1_774_459_800_000_000_000n);
    expect(parseTimeBound('2026-03-25T17:30:00Z')).toBe(1_774_459_800_000_000_000n);
    expect(parseTimeBound('2026-03-25T19:30:00+02:00')).toBe(1_774_459_800_000_000_000n);
    expect(parseTimeBound('2026-03-25T17:30:00.123456789Z')).toBe(1_774_459_800_123_456_789n);
  });

  it('refuses anything else', () => {
    for (const value of ['yesterday', '2026-03-25', '2026-13-45T99:00:00Z', '-5', '1.5']) {
      expect(parseTimeBound(value)).toBeNull();
    }
  });
});

describe('parseTraceListQuery', () => {
  it('defaults limit to 50 and passes filters through', () => {
    expect(parseTraceListQuery({})).toEqual({ status: 'ok', filters: { limit: 50 } });
    expect(
      parseTraceListQuery({
        since: '1000',
        until: '2000',
        model: 'gpt-4o',
        provider: 'openai',
        status: 'error',
        sessionId: 's1',
        limit: '500',
        cursor: 'abc',
      }),
    ).toEqual({
      status: 'ok',
      filters: {
        sinceUnixNano: 1_000_000_000n,
        untilUnixNano: 2_000_000_000n,
        model: 'gpt-4o',
        provider: 'openai',
        status: 'error',
        sessionId: 's1',
        limit: 500,
        cursor: 'abc',
      },
    });
  });

  it('names the parameter that is wrong', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ limit: '0' }, /^limit: /],
      [{ limit: '501' }, /^limit: /],
      [{ limit: 'ten' }, /^limit: /],
      [{ status: 'failed' }, /^status: /],
      [{ since: 'last week' }, /^since: /],
      [{ since: '3000', until: '2000' }, /^since: /],
    ];
    for (const [query, message] of cases) {
      const parsed = parseTraceListQuery(query);
      expect(parsed.status).toBe('invalid');
      expect(parsed.status === 'invalid' ? parsed.message : '').toMatch(message);
    }
  });
});
