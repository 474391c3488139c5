/** The trace list of SPEC §9: one summary per trace, newest first, keyset-paged. */
import { countedCallsCtes, countedUsage } from './counted-usage.ts';
import type { RawSql } from './database.ts';
import { StoreInputError } from './errors.ts';
import { decodeTraceCursor, encodeTraceCursor } from './trace-cursor.ts';
import { hasUsageFilters, havingClauses, SERVICE_SQL, usageClauses } from './trace-filters.ts';
import type { TraceList, TraceListFilters, TraceSummary } from './types.ts';

const DEFAULT_LIMIT = 50;
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
  service_name: string | null;
}

function limitOf(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (!Number.isFinite(limit) || limit < 1) throw new StoreInputError('limit must be at least 1');
  return Math.min(Math.floor(limit), MAX_LIMIT);
}

function toSummary(row: SummaryRow, includeService: boolean): TraceSummary {
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
    ...(includeService ? { serviceName: row.service_name } : {}),
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
  if (filters.sessionId !== undefined) {
    // Narrows the candidates through the session index; the having clause still decides.
    window.push(
      `trace_id in (select trace_id from spans where project_id = $1 and session_id = ${param(filters.sessionId)})`,
    );
  }
  having.push(...havingClauses(filters, param));
  const usageWhere = hasUsageFilters(filters) ? usageClauses(filters, param) : [];
  // With token or cost bounds every candidate's usage is counted in the same query (one more
  // CTE chain); otherwise only the page's traces are counted, afterwards.
  const usageCtes =
    usageWhere.length > 0
      ? `, ${countedCallsCtes('trace_id in (select trace_id from summaries)')},
    usage as (
      select trace_id, sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens,
        sum(cost) as cost
      from counted group by trace_id
    )`
      : '';
  const text = `
    with recursive candidates as (
      select distinct trace_id from spans
       where project_id = $1 ${window.map((clause) => `and ${clause}`).join(' ')}
    ),
    summaries as (
      select s.trace_id,
        min(s.start_time_unix_nano) as start_at,
        max(s.end_time_unix_nano)::text as end_ns,
        count(*)::int as span_count,
        bool_or(s.status_code = 'ERROR') as has_error,
        bool_or(s.status_code = 'OK') as has_ok,
        coalesce(
          (array_agg(s.name order by s.start_time_unix_nano, s.span_id)
            filter (where s.parent_span_id is null))[1],
          (array_agg(s.name order by s.start_time_unix_nano, s.span_id))[1]) as root_name,
        coalesce(
          (array_agg(${SERVICE_SQL} order by s.start_time_unix_nano, s.span_id)
            filter (where s.parent_span_id is null))[1],
          (array_agg(${SERVICE_SQL} order by s.start_time_unix_nano, s.span_id))[1]) as service_name,
        (select array_agg(distinct m) from unnest(array_agg(s.request_model) || array_agg(s.response_model)) m
          where m is not null) as models,
        array_remove(array_agg(distinct s.provider), null) as providers,
        (array_agg(s.session_id order by s.start_time_unix_nano)
          filter (where s.session_id is not null))[1] as session_id
      from spans s
      where s.project_id = $1 and s.trace_id in (select trace_id from candidates)
      group by s.trace_id
      ${having.length > 0 ? `having ${having.join(' and ')}` : ''}
    )${usageCtes}
    select summaries.*, summaries.start_at::text as start_ns
    from summaries
    ${usageWhere.length > 0 ? `left join usage u using (trace_id) where ${usageWhere.join(' and ')}` : ''}
    order by summaries.start_at desc, summaries.trace_id desc
    limit ${limit + 1}`;
  const rows = await raw.query<SummaryRow>(text, params);
  const page = rows.slice(0, limit).map((row) => toSummary(row, filters.includeService === true));
  // Tokens and cost count each LLM call once (counted-usage.ts): a second query, over this
  // page's traces only.
  const usage = await countedUsage(
    raw,
    projectId,
    page.map((summary) => summary.traceId),
  );
  for (const summary of page) {
    const counted = usage.get(summary.traceId);
    if (counted === undefined) continue;
    summary.inputTokens = counted.inputTokens;
    summary.outputTokens = counted.outputTokens;
    summary.cost = counted.cost;
  }
  const last = page.at(-1);
  return {
    traces: page,
    nextCursor:
      rows.length > limit && last !== undefined
        ? encodeTraceCursor({ startTimeUnixNano: last.startTimeUnixNano, traceId: last.traceId })
        : null,
  };
}
