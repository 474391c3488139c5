/**
 * The time range of the sessions and dashboard pages: one of the trace list's presets
 * (`RANGE_PRESETS`), kept in the URL as `range=24h`, and turned into the read API's
 * `since`/`until` (epoch milliseconds).
 */
import { RANGE_PRESETS, type RangePreset } from '../filters/trace-filters.ts';

/** Every preset name, shortest range first, for a range picker. */
export const RANGE_CHOICES = Object.keys(RANGE_PRESETS) as RangePreset[];

/** The preset in a URL value, or `fallback` when it is missing or not a preset. */
export function rangeFromSearch(value: unknown, fallback: RangePreset): RangePreset {
  return typeof value === 'string' && Object.hasOwn(RANGE_PRESETS, value)
    ? (value as RangePreset)
    : fallback;
}

/** `since` and `until` of the range ending at `nowMs`. */
export function rangeBounds(range: RangePreset, nowMs: number): { since: number; until: number } {
  return { since: nowMs - RANGE_PRESETS[range], until: nowMs };
}

/** The range as read API query parameters. */
export function rangeQuery(range: RangePreset, nowMs: number): URLSearchParams {
  const { since, until } = rangeBounds(range, nowMs);
  return new URLSearchParams({ since: String(since), until: String(until) });
}
