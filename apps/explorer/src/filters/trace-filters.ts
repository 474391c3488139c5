/**
 * The trace list's filters and their two encodings: the page URL's search params (so a view can
 * be shared and reloaded) and the read API's query (`GET /api/v1/traces`, README "Read API").
 * Defaults are left out of the URL, so the plain list is plain `/`. Number fields are kept as the
 * text the user typed: `filterErrors` says what is wrong with them, and a list with errors is not
 * asked for.
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

/** With or without tool calls (`hasToolCalls`), or either. */
export type ToolCallsFilter = 'any' | 'with' | 'without';

/** One `attr=<key>=<value>` filter. */
export interface AttributeFilter {
  key: string;
  value: string;
}

/** What the list shows; every filter is AND-combined. */
export interface TraceFilters {
  /** The preset window before now; used for whichever of `from`/`to` is not set. */
  range: RangePreset;
  /** Absolute start (ISO 8601, UTC), '' for none. */
  from: string;
  /** Absolute end (ISO 8601, UTC), '' for now. */
  to: string;
  status: 'all' | 'ok' | 'error';
  /** Any of these models (`model`, repeated); empty for all. */
  models: string[];
  /** Any of these providers (`provider`, repeated). */
  providers: string[];
  service: string;
  environment: string;
  toolCalls: ToolCallsFilter;
  minTokens: string;
  maxTokens: string;
  minCost: string;
  maxCost: string;
  minDurationMs: string;
  maxDurationMs: string;
  sessionId: string;
  userId: string;
  /** Every one must match. */
  attributes: AttributeFilter[];
  /** Search: a trace id (prefix), a span name, text in captured prompts and answers. */
  q: string;
}

/** The plain list: last 8 hours, everything. */
export const DEFAULT_FILTERS: TraceFilters = {
  range: '8h',
  from: '',
  to: '',
  status: 'all',
  models: [],
  providers: [],
  service: '',
  environment: '',
  toolCalls: 'any',
  minTokens: '',
  maxTokens: '',
  minCost: '',
  maxCost: '',
  minDurationMs: '',
  maxDurationMs: '',
  sessionId: '',
  userId: '',
  attributes: [],
  q: '',
};

/** The text fields and their URL names (short, so shared links stay readable). */
const TEXT_PARAMS = {
  from: 'from',
  to: 'to',
  service: 'service',
  environment: 'env',
  minTokens: 'minTokens',
  maxTokens: 'maxTokens',
  minCost: 'minCost',
  maxCost: 'maxCost',
  minDurationMs: 'minMs',
  maxDurationMs: 'maxMs',
  sessionId: 'session',
  userId: 'user',
  q: 'q',
} as const satisfies Partial<Record<keyof TraceFilters, string>>;

type TextField = keyof typeof TEXT_PARAMS;

/** The read API's names of the same fields (`from`/`to` become `since`/`until` in ms). */
const API_PARAMS: Record<Exclude<TextField, 'from' | 'to'>, string> = {
  service: 'service',
  environment: 'environment',
  minTokens: 'minTokens',
  maxTokens: 'maxTokens',
  minCost: 'minCost',
  maxCost: 'maxCost',
  minDurationMs: 'minDurationMs',
  maxDurationMs: 'maxDurationMs',
  sessionId: 'sessionId',
  userId: 'userId',
  q: 'q',
};

/** URL search params as the router hands them over: repeated names are arrays. */
export type SearchParams = Record<string, string | string[]>;

const MAX_TEXT = 256;
const MAX_SEARCH = 500;
const MAX_LIST = 20;

function isPreset(value: unknown): value is RangePreset {
  return typeof value === 'string' && Object.hasOwn(RANGE_PRESETS, value);
}

function one(value: unknown): string {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.trim() : '';
}

function many(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  const texts = list
    .filter((item): item is string => typeof item === 'string')
    .map((item) => item.trim().slice(0, MAX_TEXT))
    .filter((item) => item !== '');
  return [...new Set(texts)].slice(0, MAX_LIST);
}

/** `key=value` split at the first `=`; null without a key. */
export function parseAttribute(text: string): AttributeFilter | null {
  const at = text.indexOf('=');
  if (at < 1) return null;
  const key = text.slice(0, at).trim();
  return key === '' ? null : { key, value: text.slice(at + 1).trim() };
}

/** Reads filters from URL search params; unknown or malformed values fall back to defaults. */
export function filtersFromSearch(search: Record<string, unknown>): TraceFilters {
  const filters: TraceFilters = { ...DEFAULT_FILTERS };
  for (const [field, name] of Object.entries(TEXT_PARAMS) as [TextField, string][]) {
    filters[field] = one(search[name]).slice(0, field === 'q' ? MAX_SEARCH : MAX_TEXT);
  }
  const status = one(search.status);
  const tools = one(search.tools);
  return {
    ...filters,
    range: isPreset(one(search.range)) ? (one(search.range) as RangePreset) : DEFAULT_FILTERS.range,
    status: status === 'ok' || status === 'error' ? status : 'all',
    toolCalls: tools === 'with' || tools === 'without' ? tools : 'any',
    models: many(search.model),
    providers: many(search.provider),
    attributes: many(search.attr)
      .map(parseAttribute)
      .filter((attribute): attribute is AttributeFilter => attribute !== null),
  };
}

/** Writes filters as URL search params, leaving out every value that is the default. */
export function filtersToSearch(filters: TraceFilters): SearchParams {
  const search: SearchParams = {};
  if (filters.range !== DEFAULT_FILTERS.range) search.range = filters.range;
  if (filters.status !== 'all') search.status = filters.status;
  if (filters.models.length > 0) search.model = [...filters.models];
  if (filters.providers.length > 0) search.provider = [...filters.providers];
  if (filters.toolCalls !== 'any') search.tools = filters.toolCalls;
  if (filters.attributes.length > 0) {
    search.attr = filters.attributes.map(({ key, value }) => `${key}=${value}`);
  }
  for (const [field, name] of Object.entries(TEXT_PARAMS) as [TextField, string][]) {
    const value = filters[field].trim();
    if (value !== '') search[name] = value;
  }
  return search;
}

/** True when anything but the time range narrows the list. */
export function hasNarrowingFilters(filters: TraceFilters): boolean {
  const { range: _range, from: _from, to: _to, ...rest } = filtersToSearch(filters);
  return Object.keys(rest).length > 0;
}

/** The filters a "Clear filters" leaves: the same time window, nothing else. */
export function clearedFilters(filters: TraceFilters): TraceFilters {
  return { ...DEFAULT_FILTERS, range: filters.range, from: filters.from, to: filters.to };
}

/** A field of the filters that can be wrong, and what is wrong with it. */
export type FilterErrors = Partial<Record<TextField, string>>;

const INTEGER = /^\d{1,15}$/;
const DECIMAL = /^\d+(\.\d+)?$/;

/** The error of one `[min, max]` pair: each must be a number of its kind, min ≤ max. */
function rangeErrors(
  errors: FilterErrors,
  filters: TraceFilters,
  min: 'minTokens' | 'minCost' | 'minDurationMs',
  max: 'maxTokens' | 'maxCost' | 'maxDurationMs',
  pattern: RegExp,
): void {
  const kind = pattern === INTEGER ? 'a whole number ≥ 0' : 'a number ≥ 0';
  const low = filters[min].trim();
  const high = filters[max].trim();
  if (low !== '' && !pattern.test(low)) errors[min] = `Must be ${kind}`;
  if (high !== '' && !pattern.test(high)) errors[max] = `Must be ${kind}`;
  if (errors[min] === undefined && errors[max] === undefined && low !== '' && high !== '') {
    if (Number(low) > Number(high)) errors[max] = 'Max is below min';
  }
}

/** What is wrong with `filters` (empty when they can be sent). */
export function filterErrors(filters: TraceFilters): FilterErrors {
  const errors: FilterErrors = {};
  const from = filters.from === '' ? null : Date.parse(filters.from);
  const to = filters.to === '' ? null : Date.parse(filters.to);
  if (from !== null && Number.isNaN(from)) errors.from = 'Not a date and time';
  if (to !== null && Number.isNaN(to)) errors.to = 'Not a date and time';
  if (errors.from === undefined && errors.to === undefined && from !== null && to !== null) {
    if (from > to) errors.to = 'End is before start';
  }
  rangeErrors(errors, filters, 'minTokens', 'maxTokens', INTEGER);
  rangeErrors(errors, filters, 'minCost', 'maxCost', DECIMAL);
  rangeErrors(errors, filters, 'minDurationMs', 'maxDurationMs', DECIMAL);
  return errors;
}

/** What is wrong with an attribute filter about to be added (null when it can be). */
export function attributeError(key: string): string | null {
  if (key.trim() === '') return 'Give the attribute key';
  if (key.includes('=')) return 'A key cannot hold "="';
  return null;
}

/** `since`/`until` (epoch ms) of the filters' window ending at `nowMs` when `to` is not set. */
export function filterWindow(
  filters: TraceFilters,
  nowMs: number,
): { since: number; until: number } {
  const until = filters.to === '' ? nowMs : Date.parse(filters.to);
  const since =
    filters.from === '' ? until - RANGE_PRESETS[filters.range] : Date.parse(filters.from);
  return { since, until };
}

/**
 * The read API query for one page: the window ending at `nowMs` (epoch ms, unless `to` is set),
 * `cursor` the previous page's `nextCursor`. Call it only for filters without `filterErrors`.
 */
export function filtersToApiQuery(
  filters: TraceFilters,
  nowMs: number,
  options: { cursor?: string | null; limit?: number } = {},
): URLSearchParams {
  const query = new URLSearchParams();
  const { since, until } = filterWindow(filters, nowMs);
  query.set('since', String(since));
  if (filters.to !== '') query.set('until', String(until));
  if (filters.status !== 'all') query.set('status', filters.status);
  for (const model of filters.models) query.append('model', model);
  for (const provider of filters.providers) query.append('provider', provider);
  if (filters.toolCalls !== 'any') {
    query.set('hasToolCalls', String(filters.toolCalls === 'with'));
  }
  for (const [field, name] of Object.entries(API_PARAMS) as [TextField, string][]) {
    const value = filters[field].trim();
    if (value !== '') query.set(name, value);
  }
  for (const { key, value } of filters.attributes) query.append('attr', `${key}=${value}`);
  query.set('include', 'service');
  query.set('limit', String(options.limit ?? 50));
  if (options.cursor) query.set('cursor', options.cursor);
  return query;
}

/** An ISO time as a `datetime-local` input's value (local time, minutes); '' for none. */
export function isoToLocalInput(iso: string): string {
  const ms = Date.parse(iso);
  if (iso === '' || Number.isNaN(ms)) return '';
  const date = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(
    date.getHours(),
  )}:${pad(date.getMinutes())}`;
}

/** A `datetime-local` value (local time) as ISO 8601 UTC without milliseconds; '' for none. */
export function localInputToIso(value: string): string {
  if (value === '') return '';
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? '' : new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Plain URL search params (`a=1&a=2&b=3`) as the router's search object; repeats as arrays. */
export function parseSearchString(searchStr: string): SearchParams {
  const search: SearchParams = {};
  for (const [key, value] of new URLSearchParams(searchStr)) {
    const seen = search[key];
    search[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return search;
}

/** The router's search object as plain URL search params, `?` included when not empty. */
export function stringifySearch(search: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === 'string' && item !== '') params.append(key, item);
    }
  }
  const encoded = params.toString();
  return encoded === '' ? '' : `?${encoded}`;
}
