/**
 * Query parameters of the explorer's views: `GET /api/v1/traces/facets?since&until`,
 * `GET /api/v1/sessions?since&until&limit&cursor` and
 * `GET /api/v1/dashboard?since&until&groupBy=model|provider&bucketSeconds=<n>`.
 */
import type { DashboardQuery, SessionListFilters, TimeRange } from '@to11/store';
import { z } from 'zod';
import {
  integerField,
  limitField,
  type Parsed,
  parseQuery,
  type QueryValues,
  sinceNotAfterUntil,
  timeBound,
} from './query-fields.ts';

const DAY_NS = 86_400_000_000_000n;
/** Most buckets one dashboard answers (a range over a too-small bucket is a 400). */
const MAX_BUCKETS = 2000;

const rangeSchema = z
  .object({ since: timeBound.optional(), until: timeBound.optional() })
  .refine(sinceNotAfterUntil, { message: 'must not be after until', path: ['since'] });

function toRange(q: { since?: bigint; until?: bigint }): TimeRange {
  const range: TimeRange = {};
  if (q.since !== undefined) range.sinceUnixNano = q.since;
  if (q.until !== undefined) range.untilUnixNano = q.until;
  return range;
}

/** `since`/`until` of the facets. */
export function parseFacetsQuery(query: QueryValues): Parsed<TimeRange> {
  const parsed = parseQuery(rangeSchema, query);
  return parsed.status === 'ok' ? { status: 'ok', value: toRange(parsed.value) } : parsed;
}

const sessionsSchema = z
  .object({
    since: timeBound.optional(),
    until: timeBound.optional(),
    limit: limitField.optional(),
    cursor: z.string().min(1, 'must not be empty').optional(),
  })
  .refine(sinceNotAfterUntil, { message: 'must not be after until', path: ['since'] });

/** The session list's range, page size (default 50) and cursor. */
export function parseSessionsQuery(query: QueryValues): Parsed<SessionListFilters> {
  const parsed = parseQuery(sessionsSchema, query);
  if (parsed.status === 'invalid') return parsed;
  const { limit, cursor, ...range } = parsed.value;
  return {
    status: 'ok',
    value: { ...toRange(range), limit: limit ?? 50, ...(cursor === undefined ? {} : { cursor }) },
  };
}

const dashboardSchema = z
  .object({
    since: timeBound.optional(),
    until: timeBound.optional(),
    groupBy: z.enum(['model', 'provider']).optional(),
    bucketSeconds: integerField
      .pipe(
        z
          .number()
          .min(1, 'must be at least 1')
          .max(86_400 * 31, 'must be at most 2678400'),
      )
      .optional(),
  })
  .refine(sinceNotAfterUntil, { message: 'must not be after until', path: ['since'] });

/** The dashboard's range (default: the 24 hours before `until`, `until` default now). */
export function parseDashboardQuery(
  query: QueryValues,
  nowUnixNano: bigint = BigInt(Date.now()) * 1_000_000n,
): Parsed<DashboardQuery> {
  const parsed = parseQuery(dashboardSchema, query);
  if (parsed.status === 'invalid') return parsed;
  const q = parsed.value;
  const until = q.until ?? nowUnixNano;
  const since = q.since ?? until - DAY_NS;
  if (since > until) return { status: 'invalid', message: 'since: must not be after until' };
  const value: DashboardQuery = {
    sinceUnixNano: since,
    untilUnixNano: until,
    groupBy: q.groupBy ?? 'model',
  };
  if (q.bucketSeconds !== undefined) {
    const buckets = Number((until - since) / 1_000_000_000n) / q.bucketSeconds;
    if (buckets > MAX_BUCKETS) {
      return {
        status: 'invalid',
        message: `bucketSeconds: the range would make more than ${MAX_BUCKETS} buckets`,
      };
    }
    value.bucketSeconds = q.bucketSeconds;
  }
  return { status: 'ok', value };
}
