import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FILTERS,
  filtersFromSearch,
  filtersToApiQuery,
  filtersToSearch,
  parseSearchString,
  stringifySearch,
} from './trace-filters.ts';

describe('trace filters', () => {
  it('round-trips every filter through the URL search string', () => {
    const filters = {
      range: '7d',
      status: 'error',
      model: 'gpt-4o-mini',
      provider: 'openai',
      sessionId: 'sess 42/α',
    } as const;
    const url = stringifySearch(filtersToSearch(filters));
    expect(url).toBe(
      '?range=7d&status=error&model=gpt-4o-mini&provider=openai&session=sess+42%2F%CE%B1',
    );
    expect(filtersFromSearch(parseSearchString(url))).toEqual(filters);
  });

  it('keeps the default view out of the URL', () => {
    expect(stringifySearch(filtersToSearch(DEFAULT_FILTERS))).toBe('');
    expect(filtersFromSearch({})).toEqual(DEFAULT_FILTERS);
  });

  it('falls back to defaults for values it does not know', () => {
    expect(filtersFromSearch({ range: '5y', status: 'maybe', model: 42 })).toEqual(DEFAULT_FILTERS);
  });

  it('asks the read API for the range before now with only the filters that are set', () => {
    const now = Date.UTC(2026, 0, 2, 12);
    const query = filtersToApiQuery({ ...DEFAULT_FILTERS, range: '10m', model: 'm' }, now);
    expect(Object.fromEntries(query)).toEqual({
      since: String(now - 600_000),
      model: 'm',
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
      limit: '10',
      cursor: 'abc',
    });
  });
});
