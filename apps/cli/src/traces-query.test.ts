import { describe, expect, it } from 'vitest';
import { traceListQuery } from './traces-query.ts';

const now = new Date('2026-01-02T03:04:05.000Z');

describe('traceListQuery', () => {
  it('maps every flag to the read API parameter, models and providers repeated', () => {
    const query = traceListQuery(
      {
        since: '8h',
        until: '2026-01-02T03:00:00Z',
        status: 'error',
        model: ['gpt-4o-mini', 'claude-haiku'],
        provider: ['openai'],
        session: 'sess-1',
        service: 'checkout',
        user: 'u-7',
        env: 'prod',
        q: 'refund',
        limit: '20',
        cursor: 'abc',
      },
      now,
    );
    expect(typeof query === 'string' ? query : [...query.entries()]).toEqual([
      ['since', String(now.getTime() - 8 * 3_600_000)],
      ['until', '2026-01-02T03:00:00Z'],
      ['status', 'error'],
      ['model', 'gpt-4o-mini'],
      ['model', 'claude-haiku'],
      ['provider', 'openai'],
      ['sessionId', 'sess-1'],
      ['service', 'checkout'],
      ['userId', 'u-7'],
      ['environment', 'prod'],
      ['q', 'refund'],
      ['cursor', 'abc'],
      ['limit', '20'],
    ]);
  });

  it('passes epoch milliseconds through and leaves unset flags out', () => {
    const query = traceListQuery({ since: '1767322800000' }, now);
    expect(String(query)).toBe('since=1767322800000');
    expect(String(traceListQuery({}, now))).toBe('');
  });

  it('names the flag and the value when one is wrong', () => {
    expect(traceListQuery({ since: 'yesterday' }, now)).toMatch(
      /^--since must be a duration .*"yesterday"$/,
    );
    expect(traceListQuery({ status: 'failed' }, now)).toBe(
      '--status must be ok or error, got "failed"',
    );
    expect(traceListQuery({ limit: '0' }, now)).toBe(
      '--limit must be an integer from 1 to 500, got "0"',
    );
    expect(traceListQuery({ limit: '2.5' }, now)).toMatch(/^--limit must be/);
  });
});
