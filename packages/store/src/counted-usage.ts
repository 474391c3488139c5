/**
 * Tokens and cost of traces with each LLM call counted once. Several spans of one trace often
 * describe the same call: a library's wrapper span (`ai.generateText`) above its provider-call
 * span (`ai.generateText.doGenerate`), and that span above the gateway's own GenAI span when
 * the call went through the gateway. Each carries the call's usage. The rule: a span's usage
 * counts only when no span below it (at any depth) carries usage, so the innermost one counts;
 * through the gateway that is the gateway's span, which is the one that saw the provider's
 * answer. Spans that carry usage side by side (two calls of one agent) all count.
 */
import type { RawSql } from './database.ts';

/** The counted totals of one trace. */
export interface CountedUsage {
  /** LLM calls counted (the spans whose usage counts). */
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cost: number | null;
}

/**
 * The SQL of the counting rule, for every query that sums LLM calls (trace totals, sessions, the
 * dashboard): the CTEs `carriers …, above …, counted …` (to follow `with recursive`, after the
 * caller's own CTEs if any), where `counted` holds the carriers
 * whose usage counts. `carrierScope` narrows the spans considered (a condition on `spans`,
 * written with the caller's parameters; `$1` is always the project id). Follow it with a select
 * from `counted` (columns: trace_id, span_id, input_tokens, output_tokens, cost, start_ns, end_ns,
 * status_code, model, provider, ttft_ms).
 *
 * `carriers`: the spans with usage, read through their trace's summary (`t`, trace_summaries):
 * every span of a trace starts between the trace's start and end, so each lookup only touches
 * the daily partitions of that interval. `carrierScope` may use `s.` (the span) and `t.`.
 * `above`: every ancestor of a carrier (walked up through spans without usage too: an HTTP
 * client span and the gateway's HTTP span sit in between). `union` (not `union all`) stops on a
 * parent cycle.
 */
export function countedCallsCtes(carrierScope: string): string {
  return `
  carriers as (
    select s.trace_id, s.span_id, s.parent_span_id, s.input_tokens, s.output_tokens, s.cost,
      s.start_time_unix_nano as start_ns, s.end_time_unix_nano as end_ns, s.status_code,
      coalesce(s.request_model, s.response_model) as model, s.provider,
      case when jsonb_typeof(s.attributes -> 'gen_ai.server.time_to_first_token') = 'number'
        then (s.attributes ->> 'gen_ai.server.time_to_first_token')::float8 * 1000 end as ttft_ms,
      t.start_ns as trace_start, t.end_ns as trace_end
      from trace_summaries t
      join spans s on s.project_id = t.project_id and s.trace_id = t.trace_id
        and s.start_time_unix_nano between t.start_ns and t.end_ns
     where t.project_id = $1 and (${carrierScope})
       and (s.input_tokens is not null or s.output_tokens is not null)
  ),
  above(trace_id, span_id, lo, hi) as (
    select trace_id, parent_span_id, trace_start, trace_end from carriers
     where parent_span_id is not null
    union
    select s.trace_id, s.parent_span_id, a.lo, a.hi
      from above a
      join spans s on s.project_id = $1 and s.trace_id = a.trace_id and s.span_id = a.span_id
        and s.start_time_unix_nano between a.lo and a.hi
     where s.parent_span_id is not null
  ),
  counted as (
    select c.* from carriers c
     where not exists (select 1 from above a where a.trace_id = c.trace_id and a.span_id = c.span_id)
  )`;
}

const COUNTED_SQL = `with recursive ${countedCallsCtes('t.trace_id = any($2::text[])')}
  select trace_id, count(*)::int as calls,
    coalesce(sum(input_tokens), 0)::text as input_tokens,
    coalesce(sum(output_tokens), 0)::text as output_tokens,
    sum(cost) as cost
  from counted
  group by trace_id`;

interface CountedRow {
  trace_id: string;
  calls: number;
  input_tokens: string;
  output_tokens: string;
  cost: number | string | null;
}

/** Counted totals by trace id (traces without usage are absent). */
export async function countedUsage(
  raw: Pick<RawSql, 'query'>,
  projectId: string,
  traceIds: readonly string[],
): Promise<Map<string, CountedUsage>> {
  const totals = new Map<string, CountedUsage>();
  if (traceIds.length === 0) return totals;
  const rows = await raw.query<CountedRow>(COUNTED_SQL, [projectId, traceIds]);
  for (const row of rows) {
    totals.set(row.trace_id, {
      calls: Number(row.calls),
      inputTokens: Number(row.input_tokens),
      outputTokens: Number(row.output_tokens),
      cost: row.cost === null ? null : Number(row.cost),
    });
  }
  return totals;
}
