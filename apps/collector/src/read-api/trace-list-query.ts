/**
 * Query parameters of `GET /api/v1/traces` (SPEC §9 "Trace list", extended for the explorer):
 * `since`/`until`, `model`/`provider`/`attr` (repeatable), `status`, `sessionId`, `service`,
 * `userId`, `environment`, `hasToolCalls`, token / cost / duration ranges, `q`,
 * `include=service`, `limit` 1..500 (default 50), an opaque `cursor`.
 */
import type { TraceListFilters } from '@to11/store';
import { z } from 'zod';
import {
  decimalField,
  integerField,
  limitField,
  type Parsed,
  parseQuery,
  type QueryValues,
  sinceNotAfterUntil,
  timeBound,
} from './query-fields.ts';

export { parseTimeBound } from './query-fields.ts';

const text = z.string().min(1, 'must not be empty');

/** `attr=<key>=<value>`: split at the first `=`. */
const attrPair = z.string().transform((value, ctx): [string, string] => {
  const at = value.indexOf('=');
  if (at < 1) {
    ctx.addIssue({ code: 'custom', message: 'must be <key>=<value>' });
    return z.NEVER;
  }
  return [value.slice(0, at), value.slice(at + 1)];
});

const querySchema = z
  .object({
    since: timeBound.optional(),
    until: timeBound.optional(),
    model: z.array(text).optional(),
    provider: z.array(text).optional(),
    status: z.enum(['ok', 'error']).optional(),
    sessionId: text.optional(),
    service: text.optional(),
    userId: text.optional(),
    environment: text.optional(),
    hasToolCalls: z.enum(['true', 'false']).optional(),
    minTokens: integerField.optional(),
    maxTokens: integerField.optional(),
    minCost: decimalField.optional(),
    maxCost: decimalField.optional(),
    minDurationMs: decimalField.optional(),
    maxDurationMs: decimalField.optional(),
    attr: z.array(attrPair).optional(),
    q: z.string().max(500, 'must be at most 500 characters').optional(),
    include: z.enum(['service']).optional(),
    limit: limitField.optional(),
    cursor: text.optional(),
  })
  .refine(sinceNotAfterUntil, { message: 'must not be after until', path: ['since'] });

const REPEATABLE = ['model', 'provider', 'attr'] as const;

/** Outcome of parsing the trace-list query. */
export type TraceListQuery =
  | { status: 'ok'; filters: TraceListFilters }
  | { status: 'invalid'; message: string };

/** Sets each `[key, value]` entry on `to` whose value is defined. */
function copyDefined<T extends object>(to: T, entries: Array<[keyof T, unknown]>): T {
  for (const [key, value] of entries) {
    if (value !== undefined) (to as Record<keyof T, unknown>)[key] = value;
  }
  return to;
}

/** Validates the trace-list query parameters into store filters. */
export function parseTraceListQuery(query: QueryValues): TraceListQuery {
  const parsed: Parsed<z.output<typeof querySchema>> = parseQuery(querySchema, query, REPEATABLE);
  if (parsed.status === 'invalid') return parsed;
  const q = parsed.value;
  const filters = copyDefined<TraceListFilters>({ limit: q.limit ?? 50 }, [
    ['sinceUnixNano', q.since],
    ['untilUnixNano', q.until],
    ['models', q.model],
    ['providers', q.provider],
    ['status', q.status],
    ['sessionId', q.sessionId],
    ['service', q.service],
    ['userId', q.userId],
    ['environment', q.environment],
    ['hasToolCalls', q.hasToolCalls === undefined ? undefined : q.hasToolCalls === 'true'],
    ['minTokens', q.minTokens],
    ['maxTokens', q.maxTokens],
    ['minCost', q.minCost],
    ['maxCost', q.maxCost],
    ['minDurationMs', q.minDurationMs],
    ['maxDurationMs', q.maxDurationMs],
    ['attributes', q.attr],
    ['q', q.q === undefined || q.q.trim() === '' ? undefined : q.q.trim()],
    ['includeService', q.include === 'service' ? true : undefined],
    ['cursor', q.cursor],
  ]);
  return { status: 'ok', filters };
}
