/**
 * Query parameters of `GET /api/v1/traces` (SPEC §9 "Trace list"): `since`/`until` in RFC 3339 or
 * epoch milliseconds, `status=ok|error`, `limit` 1..500 (default 50), an opaque `cursor`.
 */
import type { TraceListFilters } from '@to11/store';
import { z } from 'zod';

const RFC3339 = /^(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

/** Parses a time bound to Unix nanoseconds; null when it is neither RFC 3339 nor epoch ms. */
export function parseTimeBound(value: string): bigint | null {
  if (/^\d{1,16}$/.test(value)) return BigInt(value) * 1_000_000n;
  const match = RFC3339.exec(value);
  if (match === null) return null;
  const [, base = '', fraction = '', zone = 'Z'] = match;
  const ms = Date.parse(`${base.replace(/[t ]/, 'T')}${zone.toUpperCase()}`);
  if (Number.isNaN(ms)) return null;
  return BigInt(ms) * 1_000_000n + BigInt(fraction.padEnd(9, '0') || '0');
}

const timeBound = z.string().transform((value, ctx) => {
  const ns = parseTimeBound(value);
  if (ns === null) {
    ctx.addIssue({ code: 'custom', message: 'must be RFC 3339 or epoch milliseconds' });
    return z.NEVER;
  }
  return ns;
});

const querySchema = z
  .object({
    since: timeBound.optional(),
    until: timeBound.optional(),
    model: z.string().min(1).optional(),
    provider: z.string().min(1).optional(),
    status: z.enum(['ok', 'error']).optional(),
    sessionId: z.string().min(1).optional(),
    service: z.string().min(1).optional(),
    limit: z
      .string()
      .regex(/^\d+$/, 'must be an integer from 1 to 500')
      .transform(Number)
      .pipe(z.number().int().min(1, 'must be at least 1').max(500, 'must be at most 500'))
      .optional(),
    cursor: z.string().min(1).optional(),
  })
  .refine((q) => q.since === undefined || q.until === undefined || q.since <= q.until, {
    message: 'must not be after until',
    path: ['since'],
  });

/** Outcome of parsing the trace-list query. */
export type TraceListQuery =
  | { status: 'ok'; filters: TraceListFilters }
  | { status: 'invalid'; message: string };

/** Validates the trace-list query parameters into store filters. */
export function parseTraceListQuery(query: Record<string, string>): TraceListQuery {
  const parsed = querySchema.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') ?? 'query';
    return { status: 'invalid', message: `${field}: ${issue?.message ?? 'invalid'}` };
  }
  const q = parsed.data;
  const filters: TraceListFilters = { limit: q.limit ?? 50 };
  if (q.since !== undefined) filters.sinceUnixNano = q.since;
  if (q.until !== undefined) filters.untilUnixNano = q.until;
  if (q.model !== undefined) filters.model = q.model;
  if (q.provider !== undefined) filters.provider = q.provider;
  if (q.status !== undefined) filters.status = q.status;
  if (q.sessionId !== undefined) filters.sessionId = q.sessionId;
  if (q.service !== undefined) filters.service = q.service;
  if (q.cursor !== undefined) filters.cursor = q.cursor;
  return { status: 'ok', filters };
}
