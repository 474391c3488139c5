/** The trace list of SPEC §9: one summary per trace, newest first, keyset-paged. */
import { countedCallsCtes, countedUsage } from './counted-usage.ts';
import type { RawSql } from './database.ts';
import { StoreInputError } from './errors.ts';
import { decodeTraceCursor, encodeTraceCursor } from './trace-cursor.ts';
import { hasUsageFilters, summaryClauses, usageClauses } from './trace-filters.ts';
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
 * Lists traces of a project from their summaries (trace_summaries, one row per trace kept by the
 * spans trigger), newest first through the (project, start, trace id) index; `since`/`until`
 * bound the trace start (its earliest span's), both inclusive.
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
  const where: string[] = ['t.project_id = $1'];
  if (filters.sinceUnixNano !== undefined) {
    where.push(`t.start_ns >= ${param(filters.sinceUnixNano.toString())}::bigint`);
  }
  if (filters.untilUnixNano !== undefined) {
    where.push(`t.start_ns <= ${param(filters.untilUnixNano.toString())}::bigint`);
  }
  if (filters.cursor !== undefined) {
    const cursor = decodeTraceCursor(filters.cursor);
    where.push(
      `(t.start_ns, t.trace_id) < (${param(cursor.startTimeUnixNano.toString())}::bigint, ${param(cursor.traceId)}::text)`,
    );
  }
  where.push(...summaryClauses(filters, param));
  const usageWhere = hasUsageFilters(filters) ? usageClauses(filters, param) : [];
  const columns = `t.trace_id, t.start_ns::text as start_ns, t.end_ns::text as end_ns,
    t.span_count, t.has_error, t.has_ok, coalesce(t.root_name, t.first_name) as root_name,
    coalesce(t.root_service, t.first_service) as service_name, t.models, t.providers,
    t.session_id`;
  const order = `order by t.start_ns desc, t.trace_id desc limit ${limit + 1}`;
  // With token or cost bounds every candidate's usage is counted in the same query; otherwise
  // only the page's traces are counted, afterwards.
  const text =
    usageWhere.length > 0
      ? `with recursive candidates as (
          select t.* from trace_summaries t where ${where.join(' and ')}
        ),
        ${countedCallsCtes('t.trace_id in (select trace_id from candidates)')},
        usage as (
          select trace_id, sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens,
            sum(cost) as cost
          from counted group by trace_id
        )
        select ${columns} from candidates t left join usage u using (trace_id)
        where ${usageWhere.join(' and ')} ${order}`
      : `select ${columns} from trace_summaries t where ${where.join(' and ')} ${order}`;
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
