/**
 * The trace list's filters and their two encodings: the page URL's search params (so a view can
 * be shared and reloaded) and the read API's query (`GET /api/v1/traces`, SPEC §9).
 * Defaults are left out of the URL, so the plain list is plain `/`.
 */

/** Time range presets, newest window first (SPEC docs §10.3: 10 minutes … 60 days). */
export const RANGE_PRESETS = {
  '10m': 10 * 60_000,
  '30m': 30 * 60_000,
  '1h': 3_600_000,
  '3h': 3 * 3_600_000,
  '8h': 8 * 3_600_000,
  '24h': 24 * 3_600_000,
  '3d': 3 * 86_400_000,
  '7d': 7 * 86_400_000,
  '14d': 14 * 86_400_000,
  '30d': 30 * 86_400_000,
  '60d': 60 * 86_400_000,
} as const;

/** A preset name, e.g. `8h`. */
export type RangePreset = keyof typeof RANGE_PRESETS;

/** What the list shows; every filter is AND-combined. */
export interface TraceFilters {
  range: RangePreset;
  status: 'all' | 'ok' | 'error';
  model: string;
  provider: string;
  sessionId: string;
}

/** The plain list: last 8 hours, everything. */
export const DEFAULT_FILTERS: TraceFilters = {
  range: '8h',
  status: 'all',
  model: '',
  provider: '',
  sessionId: '',
};

function isPreset(value: unknown): value is RangePreset {
  return typeof value === 'string' && Object.hasOwn(RANGE_PRESETS, value);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim().slice(0, 256) : '';
}

/** Reads filters from URL search params; unknown or malformed values fall back to defaults. */
export function filtersFromSearch(search: Record<string, unknown>): TraceFilters {
  const status = search.status;
  return {
    range: isPreset(search.range) ? search.range : DEFAULT_FILTERS.range,
    status: status === 'ok' || status === 'error' ? status : 'all',
    model: text(search.model),
    provider: text(search.provider),
    sessionId: text(search.session),
  };
}

/** Writes filters as URL search params, leaving out every value that is the default. */
export function filtersToSearch(filters: TraceFilters): Record<string, string> {
  const search: Record<string, string> = {};
  if (filters.range !== DEFAULT_FILTERS.range) search.range = filters.range;
  if (filters.status !== 'all') search.status = filters.status;
  if (filters.model !== '') search.model = filters.model;
  if (filters.provider !== '') search.provider = filters.provider;
  if (filters.sessionId !== '') search.session = filters.sessionId;
  return search;
}

/**
 * The read API query for one page: `since` is the range's start before `nowMs` (epoch ms),
 * `cursor` the previous page's `nextCursor`.
 */
export function filtersToApiQuery(
  filters: TraceFilters,
  nowMs: number,
  options: { cursor?: string | null; limit?: number } = {},
): URLSearchParams {
  const query = new URLSearchParams();
  query.set('since', String(nowMs - RANGE_PRESETS[filters.range]));
  if (filters.status !== 'all') query.set('status', filters.status);
  if (filters.model !== '') query.set('model', filters.model);
  if (filters.provider !== '') query.set('provider', filters.provider);
  if (filters.sessionId !== '') query.set('sessionId', filters.sessionId);
  query.set('limit', String(options.limit ?? 50));
  if (options.cursor) query.set('cursor', options.cursor);
  return query;
}

/** Plain URL search params (`a=1&b=2`) as the router's search object. */
export function parseSearchString(searchStr: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(searchStr));
}

/** The router's search object as plain URL search params, `?` included when not empty. */
export function stringifySearch(search: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    if (typeof value === 'string' && value !== '') params.set(key, value);
  }
  const encoded = params.toString();
  return encoded === '' ? '' : `?${encoded}`;
}
