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
        models: ['gpt-4o'],
        providers: ['openai'],
        status: 'error',
        sessionId: 's1',
        limit: 500,
        cursor: 'abc',
      },
    });
  });

  it('reads repeated models, providers and attributes, ranges, search and include', () => {
    expect(
      parseTraceListQuery({
        model: ['a', 'b'],
        provider: ['openai'],
        attr: ['tenant=acme', 'url=a=b'],
        userId: 'u1',
        environment: 'prod',
        hasToolCalls: 'false',
        minTokens: '10',
        maxTokens: '20',
        minCost: '0.5',
        maxCost: '1',
        minDurationMs: '1.5',
        maxDurationMs: '100',
        q: '  hello  ',
        include: 'service',
      }),
    ).toEqual({
      status: 'ok',
      filters: {
        limit: 50,
        models: ['a', 'b'],
        providers: ['openai'],
        attributes: [
          ['tenant', 'acme'],
          ['url', 'a=b'],
        ],
        userId: 'u1',
        environment: 'prod',
        hasToolCalls: false,
        minTokens: 10,
        maxTokens: 20,
        minCost: 0.5,
        maxCost: 1,
        minDurationMs: 1.5,
        maxDurationMs: 100,
        q: 'hello',
        includeService: true,
      },
    });
  });

  it('names the parameter that is wrong', () => {
    const cases: [Record<string, string | string[]>, RegExp][] = [
      [{ status: ['ok', 'error'] }, /^status: must be given once/],
      [{ hasToolCalls: 'yes' }, /^hasToolCalls: /],
      [{ minTokens: '-1' }, /^minTokens: /],
      [{ maxCost: 'cheap' }, /^maxCost: /],
      [{ minDurationMs: '1e3' }, /^minDurationMs: /],
      [{ attr: ['=x'] }, /^attr: must be <key>=<value>/],
      [{ include: 'spans' }, /^include: /],
      [{ model: [''] }, /^model: /],
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
