/** The trace list of SPEC §9: one summary per trace, newest first, keyset-paged. */
import { countedUsage } from './counted-usage.ts';
import type { RawSql } from './database.ts';
import { StoreInputError } from './errors.ts';
import { decodeTraceCursor, encodeTraceCursor } from './trace-cursor.ts';
import type { TraceList, TraceListFilters, TraceSummary } from './types.ts';

const DEFAULT_LIMIT = 50;
/** A span's `service.name` (resource attribute). */
const SERVICE = `(s.resource -> 'attributes' ->> 'service.name')`;
const MAX_LIMIT = 500;

interface SummaryRow {
  trace_id: string;
  start_ns: string;
  end_ns: string;
  span_count: number;
  has_error: boolean;
  has_ok: boolean;
  root_name: string | null;
  models: string[] | null;
  providers: string[] | null;
  session_id: string | null;
}

function limitOf(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (!Number.isFinite(limit) || limit < 1) throw new StoreInputError('limit must be at least 1');
  return Math.min(Math.floor(limit), MAX_LIMIT);
}

function toSummary(row: SummaryRow): TraceSummary {
  const start = BigInt(row.start_ns);
  const end = BigInt(row.end_ns);
  return {
    traceId: row.trace_id,
    rootName: row.root_name,
    startTimeUnixNano: start,
    durationMs: Number(end > start ? end - start : 0n) / 1e6,
    spanCount: Number(row.span_count),
    status: row.has_error ? 'error' : row.has_ok ? 'ok' : 'unset',
    models: row.models ?? [],
    providers: row.providers ?? [],
    inputTokens: 0,
    outputTokens: 0,
    cost: null,
    sessionId: row.session_id,
  };
}

/**
 * Lists traces of a project. A trace's start is its earliest span's start, so candidates are
 * the traces with a span inside the time window (the earliest span is), and each candidate is
 * then summarized over all of its spans; `since`/`until` bound the trace start, both inclusive.
 */
export async function listTraces(
  raw: RawSql,
  projectId: string,
  filters: TraceListFilters = {},
): Promise<TraceList> {
  const limit = limitOf(filters.limit);
  const params: unknown[] = [projectId];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const window: string[] = [];
  const having: string[] = [];
  if (filters.sinceUnixNano !== undefined) {
    const since = param(filters.sinceUnixNano.toString());
    window.push(`start_time_unix_nano >= ${since}::bigint`);
    having.push(`min(s.start_time_unix_nano) >= ${since}::bigint`);
  }
  if (filters.untilUnixNano !== undefined) {
    const until = param(filters.untilUnixNano.toString());
    window.push(`start_time_unix_nano <= ${until}::bigint`);
    having.push(`min(s.start_time_unix_nano) <= ${until}::bigint`);
  }
  if (filters.cursor !== undefined) {
    const cursor = decodeTraceCursor(filters.cursor);
    const start = param(cursor.startTimeUnixNano.toString());
    window.push(`start_time_unix_nano <= ${start}::bigint`);
    having.push(
      `(min(s.start_time_unix_nano), s.trace_id) < (${start}::bigint, ${param(cursor.traceId)}::text)`,
    );
  }
  if (filters.model !== undefined) {
    const model = param(filters.model);
    having.push(
      `coalesce(bool_or(s.request_model = ${model} or s.response_model = ${model}), false)`,
    );
  }
  if (filters.provider !== undefined) {
    having.push(`coalesce(bool_or(s.provider = ${param(filters.provider)}), false)`);
  }
  if (filters.sessionId !== undefined) {
    having.push(`coalesce(bool_or(s.session_id = ${param(filters.sessionId)}), false)`);
  }
  if (filters.service !== undefined) {
    having.push(`coalesce(bool_or(${SERVICE} = ${param(filters.service)}), false)`);
  }
  if (filters.status === 'error') having.push(`bool_or(s.status_code = 'ERROR')`);
  if (filters.status === 'ok') {
    having.push(`not bool_or(s.status_code = 'ERROR') and bool_or(s.status_code = 'OK')`);
  }
  const text = `
    with candidates as (
      select distinct trace_id from spans
       where project_id = $1 ${window.map((clause) => `and ${clause}`).join(' ')}
    )
    select s.trace_id,
      min(s.start_time_unix_nano)::text as start_ns,
      max(s.end_time_unix_nano)::text as end_ns,
      count(*)::int as span_count,
      bool_or(s.status_code = 'ERROR') as has_error,
      bool_or(s.status_code = 'OK') as has_ok,
      coalesce(
        (array_agg(s.name order by s.start_time_unix_nano, s.span_id)
          filter (where s.parent_span_id is null))[1],
        (array_agg(s.name order by s.start_time_unix_nano, s.span_id))[1]) as root_name,
      (select array_agg(distinct m) from unnest(array_agg(s.request_model) || array_agg(s.response_model)) m
        where m is not null) as models,
      array_remove(array_agg(distinct s.provider), null) as providers,
      (array_agg(s.session_id order by s.start_time_unix_nano)
        filter (where s.session_id is not null))[1] as session_id
    from spans s
    where s.project_id = $1 and s.trace_id in (select trace_id from candidates)
    group by s.trace_id
    ${having.length > 0 ? `having ${having.join(' and ')}` : ''}
    order by min(s.start_time_unix_nano) desc, s.trace_id desc
    limit ${limit + 1}`;
  const rows = await raw.query<SummaryRow>(text, params);
  const page = rows.slice(0, limit).map(toSummary);
  // Tokens and cost count each LLM call once (counted-usage.ts): a second query, over this
  // page's traces only.
  const usage = await countedUsage(
    raw,
    projectId,
    page.map((summary) => summary.traceId),
  );
  for (const summary of page) Object.assign(summary, usage.get(summary.traceId));
  const last = page.at(-1);
  return {
    traces: page,
    nextCursor:
      rows.length > limit && last !== undefined
        ? encodeTraceCursor({ startTimeUnixNano: last.startTimeUnixNano, traceId: last.traceId })
        : null,
  };
}
