import { describe, expect, it } from 'vitest';
import {
  attributeError,
  clearedFilters,
  DEFAULT_FILTERS,
  filterErrors,
  filtersFromSearch,
  filtersToApiQuery,
  filtersToSearch,
  hasNarrowingFilters,
  isoToLocalInput,
  localInputToIso,
  parseAttribute,
  parseSearchString,
  stringifySearch,
  type TraceFilters,
} from './trace-filters.ts';

/** Every filter set to something that is not the default. */
const EVERYTHING: TraceFilters = {
  range: '7d',
  from: '2026-01-02T03:04:00Z',
  to: '2026-01-03T00:00:00Z',
  status: 'error',
  models: ['gpt-4o-mini', 'claude-haiku-4-5'],
  providers: ['openai', 'anthropic'],
  service: 'checkout api',
  environment: 'staging',
  toolCalls: 'with',
  minTokens: '10',
  maxTokens: '2000',
  minCost: '0.001',
  maxCost: '1.5',
  minDurationMs: '20',
  maxDurationMs: '5000',
  sessionId: 'sess 42/α',
  userId: 'user@example.com',
  attributes: [
    { key: 'tenant', value: 'acme' },
    { key: 'url', value: 'a=b&c' },
  ],
  q: 'capital of France',
};

describe('trace filters', () => {
  it('round-trips every filter through the URL search string', () => {
    const url = stringifySearch(filtersToSearch(EVERYTHING));
    expect(url).toBe(
      '?range=7d&status=error&model=gpt-4o-mini&model=claude-haiku-4-5&provider=openai' +
        '&provider=anthropic&tools=with&attr=tenant%3Dacme&attr=url%3Da%3Db%26c' +
        '&from=2026-01-02T03%3A04%3A00Z&to=2026-01-03T00%3A00%3A00Z&service=checkout+api' +
        '&env=staging&minTokens=10&maxTokens=2000&minCost=0.001&maxCost=1.5&minMs=20' +
        '&maxMs=5000&session=sess+42%2F%CE%B1&user=user%40example.com&q=capital+of+France',
    );
    expect(filtersFromSearch(parseSearchString(url))).toEqual(EVERYTHING);
  });

  it('round-trips each filter alone', () => {
    const single: Partial<TraceFilters>[] = [
      { range: '10m' },
      { from: '2026-01-02T03:04:00Z' },
      { status: 'ok' },
      { models: ['m'] },
      { providers: ['p'] },
      { toolCalls: 'without' },
      { maxCost: '0' },
      { attributes: [{ key: 'k', value: '' }] },
      { q: 'abcdef12' },
    ];
    for (const change of single) {
      const filters = { ...DEFAULT_FILTERS, ...change };
      const url = stringifySearch(filtersToSearch(filters));
      expect(filtersFromSearch(parseSearchString(url))).toEqual(filters);
    }
  });

  it('keeps the default view out of the URL', () => {
    expect(stringifySearch(filtersToSearch(DEFAULT_FILTERS))).toBe('');
    expect(filtersFromSearch({})).toEqual(DEFAULT_FILTERS);
    expect(hasNarrowingFilters(DEFAULT_FILTERS)).toBe(false);
    expect(hasNarrowingFilters({ ...DEFAULT_FILTERS, range: '60d', from: '2026-01-01' })).toBe(
      false,
    );
    expect(hasNarrowingFilters({ ...DEFAULT_FILTERS, userId: 'u' })).toBe(true);
  });

  it('clears every filter but the time window', () => {
    const cleared = clearedFilters(EVERYTHING);
    expect(cleared).toEqual({
      ...DEFAULT_FILTERS,
      range: '7d',
      from: EVERYTHING.from,
      to: EVERYTHING.to,
    });
    expect(hasNarrowingFilters(cleared)).toBe(false);
  });

  it('falls back to defaults for values it does not know', () => {
    expect(
      filtersFromSearch({
        range: '5y',
        status: 'maybe',
        tools: 'sometimes',
        model: 42,
        attr: ['=x', 'novalue'],
        session: '  ',
      }),
    ).toEqual(DEFAULT_FILTERS);
    expect(filtersFromSearch({ range: ['1h', '3h'], model: ['a', 'a', ' b '] })).toMatchObject({
      range: '1h',
      models: ['a', 'b'],
    });
  });

  it('splits an attribute at its first "=" and refuses keys it cannot send', () => {
    expect(parseAttribute('http.route=/a=b')).toEqual({ key: 'http.route', value: '/a=b' });
    expect(parseAttribute('=b')).toBeNull();
    expect(attributeError('')).toMatch(/key/);
    expect(attributeError('a=b')).toMatch(/=/);
    expect(attributeError('tenant')).toBeNull();
  });

  it('reports non-numbers, min above max and a window that ends before it starts', () => {
    expect(filterErrors(EVERYTHING)).toEqual({});
    expect(
      filterErrors({
        ...DEFAULT_FILTERS,
        minTokens: '1.5',
        maxTokens: '10',
        minCost: '0.5',
        maxCost: '0.25',
        minDurationMs: 'abc',
        maxDurationMs: '-3',
        from: '2026-01-03T00:00:00Z',
        to: '2026-01-02T00:00:00Z',
      }),
    ).toEqual({
      minTokens: 'Must be a whole number ≥ 0',
      maxCost: 'Max is below min',
      minDurationMs: 'Must be a number ≥ 0',
      maxDurationMs: 'Must be a number ≥ 0',
      to: 'End is before start',
    });
    expect(filterErrors({ ...DEFAULT_FILTERS, from: 'yesterday' })).toEqual({
      from: 'Not a date and time',
    });
    expect(filterErrors({ ...DEFAULT_FILTERS, minTokens: '5', maxTokens: '5' })).toEqual({});
  });

  it('asks the read API for the range before now with only the filters that are set', () => {
    const now = Date.UTC(2026, 0, 2, 12);
    const query = filtersToApiQuery({ ...DEFAULT_FILTERS, range: '10m', models: ['m'] }, now);
    expect(Object.fromEntries(query)).toEqual({
      since: String(now - 600_000),
      model: 'm',
      include: 'service',
      limit: '50',
    });
    const next = filtersToApiQuery({ ...DEFAULT_FILTERS, status: 'ok', sessionId: 's' }, now, {
      cursor: 'abc',
      limit: 10,
    });
    expect(Object.fromEntries(next)).toEqual({
      since: String(now - 8 * 3_600_000),
      status: 'ok',
      sessionId: 's',
      include: 'service',
      limit: '10',
      cursor: 'abc',
    });
  });

  it('sends every filter under its read API name, repeated ones repeated', () => {
    const query = filtersToApiQuery(EVERYTHING, Date.UTC(2026, 5, 1));
    expect([...query]).toEqual([
      ['since', String(Date.UTC(2026, 0, 2, 3, 4))],
      ['until', String(Date.UTC(2026, 0, 3))],
      ['status', 'error'],
      ['model', 'gpt-4o-mini'],
      ['model', 'claude-haiku-4-5'],
      ['provider', 'openai'],
      ['provider', 'anthropic'],
      ['hasToolCalls', 'true'],
      ['service', 'checkout api'],
      ['environment', 'staging'],
      ['minTokens', '10'],
      ['maxTokens', '2000'],
      ['minCost', '0.001'],
      ['maxCost', '1.5'],
      ['minDurationMs', '20'],
      ['maxDurationMs', '5000'],
      ['sessionId', 'sess 42/α'],
      ['userId', 'user@example.com'],
      ['q', 'capital of France'],
      ['attr', 'tenant=acme'],
      ['attr', 'url=a=b&c'],
      ['include', 'service'],
      ['limit', '50'],
    ]);
    const without = filtersToApiQuery({ ...DEFAULT_FILTERS, toolCalls: 'without' }, 0);
    expect(without.get('hasToolCalls')).toBe('false');
  });

  it('counts an absolute end without a start back by the preset', () => {
    const to = '2026-01-03T00:00:00Z';
    const query = filtersToApiQuery({ ...DEFAULT_FILTERS, range: '1h', to }, Date.now());
    expect(query.get('since')).toBe(String(Date.parse(to) - 3_600_000));
    expect(query.get('until')).toBe(String(Date.parse(to)));
  });

  it('turns datetime-local values into UTC and back', () => {
    const iso = localInputToIso('2026-03-04T05:06');
    expect(iso).toMatch(/^2026-03-0[345]T\d\d:\d\d:00Z$/);
    expect(isoToLocalInput(iso)).toBe('2026-03-04T05:06');
    expect(localInputToIso('')).toBe('');
    expect(isoToLocalInput('not a date')).toBe('');
  });
});
