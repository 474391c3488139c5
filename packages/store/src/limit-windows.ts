/**
 * The names, windows and counter keys of rate limits and budgets (SPEC §10 "Shared state"),
 * shared by the gateway (which counts) and the collector's admin API (which reads usage).
 *
 * Windows are fixed and aligned to UTC: a minute, a calendar day, a calendar month. A counter's
 * key names its subject, what it counts and the window's start, so a new window starts at zero
 * and old counters expire on their own. USD is counted in micro-dollars (integers).
 */

/** Who a limit applies to. */
export type LimitSubject = 'key' | 'project';

/** What a limit caps, per window. */
export type LimitMetric =
  | 'requests_per_minute'
  | 'tokens_per_minute'
  | 'usd_per_day'
  | 'usd_per_month';

/** Every metric, in the order limits are checked and listed. */
export const LIMIT_METRICS: readonly LimitMetric[] = [
  'requests_per_minute',
  'tokens_per_minute',
  'usd_per_day',
  'usd_per_month',
];

/** `key.requests_per_minute`, `project.usd_per_day`, …: the value of `x-to11-limit`. */
export type LimitName = `${LimitSubject}.${LimitMetric}`;

/** A subject's settings: a number caps the metric, null leaves it unset. */
export type LimitSettings = Record<LimitMetric, number | null>;

/** Settings with nothing set. */
export const NO_LIMITS: LimitSettings = {
  requests_per_minute: null,
  tokens_per_minute: null,
  usd_per_day: null,
  usd_per_month: null,
};

/** One window: `[startMs, endMs)`. */
export interface LimitWindow {
  startMs: number;
  endMs: number;
}

const MINUTE_MS = 60_000;

/** The window of `metric` holding `nowMs`. */
export function windowOf(metric: LimitMetric, nowMs: number): LimitWindow {
  if (metric === 'requests_per_minute' || metric === 'tokens_per_minute') {
    const startMs = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
    return { startMs, endMs: startMs + MINUTE_MS };
  }
  const now = new Date(nowMs);
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  if (metric === 'usd_per_day') {
    const startMs = Date.UTC(year, month, now.getUTCDate());
    return { startMs, endMs: startMs + 24 * 3_600_000 };
  }
  return { startMs: Date.UTC(year, month, 1), endMs: Date.UTC(year, month + 1, 1) };
}

/** Micro-dollars per dollar: budgets are counted in integers. */
export const MICRO_USD = 1_000_000;

/** A counter's amount in the metric's unit (dollars for budgets). */
export function counterValue(metric: LimitMetric, counted: number): number {
  return metric.startsWith('usd_') ? counted / MICRO_USD : counted;
}

/**
 * The Redis (or in-process) key of a subject's counter in the window holding `nowMs`. The
 * subject is the key's hash tag (`{…}`): on a Redis Cluster every counter of one subject is in
 * one slot, so its check-and-count script and its usage `MGET` run on one node.
 */
export function counterKey(
  prefix: string,
  subjectId: string,
  metric: LimitMetric,
  nowMs: number,
): string {
  return `${prefix}limit:{${subjectId}}:${metric}:${windowOf(metric, nowMs).startMs}`;
}

/** The pub/sub channel revoked key ids are published on. */
export function revocationChannel(prefix: string): string {
  return `${prefix}key-revocations`;
}
