/**
 * Query-parameter pieces shared by the read API's endpoints: time bounds (RFC 3339 or epoch
 * milliseconds), `limit`, decimal numbers, and the one way a bad parameter is reported
 * (`<param>: <problem>`, answered as 400 bad_request).
 */
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

/** `since` / `until`. */
export const timeBound = z.string().transform((value, ctx) => {
  const ns = parseTimeBound(value);
  if (ns === null) {
    ctx.addIssue({ code: 'custom', message: 'must be RFC 3339 or epoch milliseconds' });
    return z.NEVER;
  }
  return ns;
});

/** `limit`: 1..500. */
export const limitField = z
  .string()
  .regex(/^\d+$/, 'must be an integer from 1 to 500')
  .transform(Number)
  .pipe(z.number().int().min(1, 'must be at least 1').max(500, 'must be at most 500'));

/** A non-negative decimal number (`0.25`, `12`). */
export const decimalField = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal number')
  .transform(Number);

/** A non-negative integer. */
export const integerField = z
  .string()
  .regex(/^\d{1,15}$/, 'must be a non-negative integer')
  .transform(Number);

/** `since` must not be after `until`. */
export function sinceNotAfterUntil(q: { since?: bigint; until?: bigint }): boolean {
  return q.since === undefined || q.until === undefined || q.since <= q.until;
}

/** Outcome of parsing a query. */
export type Parsed<T> = { status: 'ok'; value: T } | { status: 'invalid'; message: string };

/** Query parameters as Hono's `c.req.queries()` gives them: every value of each name. */
export type QueryValues = Record<string, string[] | string | undefined>;

/**
 * Parses `query` with `schema`. Parameters named in `repeatable` stay arrays; any other given
 * twice is refused, as are unknown parameters' mistakes in known names (zod's own message).
 */
export function parseQuery<S extends z.ZodType>(
  schema: S,
  query: QueryValues,
  repeatable: readonly string[] = [],
): Parsed<z.output<S>> {
  const flat: Record<string, string | string[]> = {};
  for (const [name, values] of Object.entries(query)) {
    if (values === undefined) continue;
    const list = Array.isArray(values) ? values : [values];
    if (repeatable.includes(name)) flat[name] = list;
    else if (list.length > 1) return { status: 'invalid', message: `${name}: must be given once` };
    else if (list[0] !== undefined) flat[name] = list[0];
  }
  const parsed = schema.safeParse(flat);
  if (parsed.success) return { status: 'ok', value: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue?.path[0] === undefined ? 'query' : String(issue.path[0]);
  return { status: 'invalid', message: `${field}: ${issue?.message ?? 'invalid'}` };
}
