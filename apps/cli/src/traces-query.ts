/**
 * `to11 traces list` flags → the read API's `GET /api/v1/traces` query (the same filters the
 * explorer's list page sends; see the README's read API section). `--since`/`--until` take a
 * duration back from now (`8h`, `30m`, `7d`), an RFC 3339 instant or epoch milliseconds.
 */
import { parseExpiresIn } from './expires-in.ts';

/** The flag values `traces list` reads (node:util parseArgs output). */
export interface TraceListFlags {
  since?: string;
  until?: string;
  status?: string;
  model?: string[];
  provider?: string[];
  session?: string;
  service?: string;
  user?: string;
  env?: string;
  q?: string;
  limit?: string;
  cursor?: string;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** A time flag as the API's `since`/`until`: epoch ms for a duration, the text for an instant. */
function timeBound(flag: string, text: string, now: Date): string {
  const trimmed = text.trim();
  if (/^\d{1,16}$/.test(trimmed) || INSTANT.test(trimmed)) return trimmed;
  const end = parseExpiresIn(trimmed, now);
  if (end === null) {
    throw new Error(
      `--${flag} must be a duration back from now (30m, 8h, 7d), an RFC 3339 instant or epoch ms, got "${text}"`,
    );
  }
  return String(now.getTime() - (end.getTime() - now.getTime()));
}

/** The query of one page, or the one-line reason a flag is wrong. */
export function traceListQuery(flags: TraceListFlags, now: Date): URLSearchParams | string {
  const query = new URLSearchParams();
  try {
    if (flags.since !== undefined) query.set('since', timeBound('since', flags.since, now));
    if (flags.until !== undefined) query.set('until', timeBound('until', flags.until, now));
  } catch (error) {
    return (error as Error).message;
  }
  if (flags.status !== undefined) {
    if (flags.status !== 'ok' && flags.status !== 'error')
      return `--status must be ok or error, got "${flags.status}"`;
    query.set('status', flags.status);
  }
  for (const model of flags.model ?? []) query.append('model', model);
  for (const provider of flags.provider ?? []) query.append('provider', provider);
  const single: [keyof TraceListFlags, string][] = [
    ['session', 'sessionId'],
    ['service', 'service'],
    ['user', 'userId'],
    ['env', 'environment'],
    ['q', 'q'],
    ['cursor', 'cursor'],
  ];
  for (const [flag, param] of single) {
    const value = flags[flag];
    if (typeof value === 'string' && value.trim() !== '') query.set(param, value.trim());
  }
  if (flags.limit !== undefined) {
    const limit = Number(flags.limit);
    if (!/^\d+$/.test(flags.limit) || limit < 1 || limit > 500)
      return `--limit must be an integer from 1 to 500, got "${flags.limit}"`;
    query.set('limit', String(limit));
  }
  return query;
}
