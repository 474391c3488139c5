/**
 * Sessions: traces grouped by their session id (the first `gen_ai.session.id` of the trace, as
 * in the trace summary), newest first by their last trace's start, keyset-paged; read from
 * trace_summaries (one row per trace). Calls, tokens and cost count each LLM call once: the sums
 * of the traces' counted totals, kept in their summaries at write time (counted-usage.ts).
 */
import type { RawSql } from './database.ts';
import { StoreInputError } from './errors.ts';
import { rangeClauses, type TimeRange } from './trace-facets.ts';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

/** One session's totals. */
export interface SessionSummary {
  sessionId: string;
  traceCount: number;
  /** LLM calls of its traces, each counted once. */
  callCount: number;
  firstStartUnixNano: bigint;
  lastStartUnixNano: bigint;
  /** First trace start to last span end. */
  durationMs: number;
  inputTokens: number;
  outputTokens: number;
  cost: number | null;
  models: string[];
  /** Traces with an error span. */
  errorCount: number;
}

/** A page of sessions. */
export interface SessionList {
  sessions: SessionSummary[];
  nextCursor: string | null;
}

/** Range (on trace starts), page size and cursor of the session list. */
export interface SessionListFilters extends TimeRange {
  limit?: number;
  cursor?: string;
}

interface SessionRow {
  session_id: string;
  trace_count: number;
  first_start: string;
  last_start: string;
  last_end: string;
  models: string[] | null;
  error_count: number;
  call_count: number;
  input_tokens: string;
  output_tokens: string;
  cost: number | string | null;
}

function encodeCursor(lastStart: bigint, sessionId: string): string {
  return Buffer.from(JSON.stringify([lastStart.toString(), sessionId])).toString('base64url');
}

function decodeCursor(cursor: string): { lastStart: string; sessionId: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2) {
      const [lastStart, sessionId] = value;
      if (typeof lastStart === 'string' && /^\d{1,19}$/.test(lastStart)) {
        if (typeof sessionId === 'string') return { lastStart, sessionId };
      }
    }
  } catch {
    // fall through to the error below
  }
  throw new StoreInputError('invalid cursor');
}

/** Lists the sessions of a project whose traces start in the range. */
export async function listSessions(
  raw: RawSql,
  projectId: string,
  filters: SessionListFilters = {},
): Promise<SessionList> {
  const limit = Math.min(filters.limit ?? DEFAULT_LIMIT, MAX_LIMIT);
  if (!Number.isInteger(limit) || limit < 1) throw new StoreInputError('limit must be at least 1');
  const params: unknown[] = [projectId];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const window = rangeClauses(filters, param, 't.start_ns');
  let cursorClause = '';
  if (filters.cursor !== undefined) {
    const cursor = decodeCursor(filters.cursor);
    cursorClause = `having (max(start_at), session_id) < (${param(cursor.lastStart)}::bigint, ${param(cursor.sessionId)}::text)`;
  }
  const text = `
    with traces as (
      select t.session_id, t.start_ns as start_at, t.end_ns as end_at, t.has_error, t.models,
        t.call_count, t.input_tokens, t.output_tokens, t.cost
        from trace_summaries t
       where t.project_id = $1 and t.session_id is not null ${window}
    ),
    session_models as (
      select session_id, array_agg(distinct m order by m) as models
        from traces cross join unnest(traces.models) m
       group by session_id
    )
    select s.*, session_models.models from (
      select session_id, count(*)::int as trace_count,
        min(start_at)::text as first_start, max(start_at)::text as last_start,
        max(end_at)::text as last_end,
        count(*) filter (where has_error)::int as error_count,
        sum(call_count)::int as call_count, sum(input_tokens)::text as input_tokens,
        sum(output_tokens)::text as output_tokens, sum(cost) as cost
      from traces
      group by session_id
      ${cursorClause}
      order by max(start_at) desc, session_id desc
      limit ${limit + 1}
    ) s left join session_models using (session_id)
    order by s.last_start::bigint desc, s.session_id desc`;
  const rows = await raw.query<SessionRow>(text, params);
  const page = rows.slice(0, limit);
  const sessions = page.map((row): SessionSummary => {
    const first = BigInt(row.first_start);
    const end = BigInt(row.last_end);
    return {
      sessionId: row.session_id,
      traceCount: row.trace_count,
      callCount: row.call_count,
      firstStartUnixNano: first,
      lastStartUnixNano: BigInt(row.last_start),
      durationMs: Number(end > first ? end - first : 0n) / 1e6,
      inputTokens: Number(row.input_tokens),
      outputTokens: Number(row.output_tokens),
      cost: row.cost === null ? null : Number(row.cost),
      models: row.models ?? [],
      errorCount: row.error_count,
    };
  });
  const last = page.at(-1);
  return {
    sessions,
    nextCursor:
      rows.length > limit && last !== undefined
        ? encodeCursor(BigInt(last.last_start), last.session_id)
        : null,
  };
}
