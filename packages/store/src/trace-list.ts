/** The trace list of SPEC §9: one summary per trace, newest first, keyset-paged. */
import type { RawSql } from './database.ts';
import { StoreInputError } from './errors.ts';
import { decodeTraceCursor, encodeTraceCursor } from './trace-cursor.ts';
import { summaryClauses, usageClauses } from './trace-filters.ts';
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
  input_tokens: string;
  output_tokens: string;
  cost: number | string | null;
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
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    cost: row.cost === null ? null : Number(row.cost),
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
  where.push(...summaryClauses(filters, param), ...usageClauses(filters, param));
  // Tokens and cost are the trace's counted totals, kept in its summary at write time
  // (counted-usage.ts).
  const text = `select t.trace_id, t.start_ns::text as start_ns, t.end_ns::text as end_ns,
      t.span_count, t.has_error, t.has_ok, coalesce(t.root_name, t.first_name) as root_name,
      coalesce(t.root_service, t.first_service) as service_name, t.models, t.providers,
      t.session_id, t.input_tokens::text as input_tokens, t.output_tokens::text as output_tokens,
      t.cost
    from trace_summaries t where ${where.join(' and ')}
    order by t.start_ns desc, t.trace_id desc limit ${limit + 1}`;
  const rows = await raw.query<SummaryRow>(text, params);
  const page = rows.slice(0, limit).map((row) => toSummary(row, filters.includeService === true));
  const last = page.at(-1);
  return {
    traces: page,
    nextCursor:
      rows.length > limit && last !== undefined
        ? encodeTraceCursor({ startTimeUnixNano: last.startTimeUnixNano, traceId: last.traceId })
        : null,
  };
}
