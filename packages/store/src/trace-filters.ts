/**
 * The trace list's filters as SQL over the trace's summary `t` (a row of `trace_summaries`, kept
 * by the spans trigger of migration 0003), all combined with AND. Every span filter means "some
 * span of the trace …": the summary holds the distinct values of each filtered field, and a
 * filter on arbitrary attributes or content looks into the trace's own spans (an index probe per
 * trace, pruned to the partitions between the trace's start and end). Usage bounds are `where`
 * clauses over the counted totals `u` (counted-usage.ts).
 */
import type { TraceListFilters } from './types.ts';

/** Appends a parameter and answers its `$n`. */
export type AddParam = (value: unknown) => string;

/** A span attribute, or a resource attribute, as text. */
const attr = (key: string) => `(s.attributes ->> ${key})`;
const resourceAttr = (key: string) => `(s.resource -> 'attributes' ->> ${key})`;

/** A span's `service.name` (resource attribute). */
export const SERVICE_SQL = resourceAttr(`'service.name'`);

/** The captured content a `q` search looks into (semconv and the common library spellings). */
const CONTENT_KEYS = [
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'gen_ai.system_instructions',
  'gen_ai.prompt',
  'gen_ai.completion',
  'ai.prompt',
  'ai.prompt.messages',
  'ai.response.text',
  'input.value',
  'output.value',
];

/**
 * The spans `s` of the summarized trace `t`: every span starts between the trace's start and its
 * end, which lets Postgres skip the other daily partitions.
 */
export const SPANS_OF_TRACE = `spans s where s.project_id = t.project_id and s.trace_id = t.trace_id
  and s.start_time_unix_nano between t.start_ns and t.end_ns`;

/**
 * "Some span of the trace matches": probed per candidate trace, newest first, so the list stops
 * at its page. `offset 0` keeps Postgres from turning the `exists` into a semi join, which it
 * plans as a scan of every partition's spans when it misjudges how many traces the window holds.
 */
const anySpan = (condition: string) =>
  `exists (select 1 from ${SPANS_OF_TRACE} and (${condition}) offset 0)`;

/** `value` as a LIKE pattern matching it literally anywhere. */
function containsPattern(value: string): string {
  return `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function qCondition(q: string, param: AddParam): string {
  const pattern = param(containsPattern(q));
  const content = CONTENT_KEYS.map((key) => `${attr(`'${key}'`)} ilike ${pattern}`);
  // One key lookup first: most spans carry no content, and each `->>` reads the attributes anew.
  const hasContent = `s.attributes ?| array[${CONTENT_KEYS.map((key) => `'${key}'`).join(', ')}]`;
  const spanMatch = anySpan(
    `s.name ilike ${pattern} or (${hasContent} and (${content.join(' or ')}))`,
  );
  if (/^[0-9a-fA-F]{8,32}$/.test(q)) {
    return `(t.trace_id like ${param(`${q.toLowerCase()}%`)} or ${spanMatch})`;
  }
  return spanMatch;
}

/** The clauses (over the summary `t`) of the span and duration filters. */
export function summaryClauses(filters: TraceListFilters, param: AddParam): string[] {
  const where: string[] = [];
  if (filters.models !== undefined && filters.models.length > 0) {
    where.push(`t.models && ${param(filters.models)}::text[]`);
  }
  if (filters.providers !== undefined && filters.providers.length > 0) {
    where.push(`t.providers && ${param(filters.providers)}::text[]`);
  }
  if (filters.sessionId !== undefined) {
    where.push(`t.session_ids @> array[${param(filters.sessionId)}::text]`);
  }
  if (filters.service !== undefined) {
    where.push(`t.services @> array[${param(filters.service)}::text]`);
  }
  if (filters.userId !== undefined) {
    where.push(`t.users @> array[${param(filters.userId)}::text]`);
  }
  if (filters.environment !== undefined) {
    where.push(`t.environments @> array[${param(filters.environment)}::text]`);
  }
  if (filters.hasToolCalls !== undefined) {
    where.push(filters.hasToolCalls ? 't.has_tool_calls' : 'not t.has_tool_calls');
  }
  const duration = '(t.end_ns - t.start_ns)';
  if (filters.minDurationMs !== undefined) {
    where.push(`${duration} >= ${param(msToNs(filters.minDurationMs))}::bigint`);
  }
  if (filters.maxDurationMs !== undefined) {
    where.push(`${duration} <= ${param(msToNs(filters.maxDurationMs))}::bigint`);
  }
  for (const [key, value] of filters.attributes ?? []) {
    const k = param(key);
    const v = param(value);
    where.push(anySpan(`${attr(k)} = ${v} or ${resourceAttr(k)} = ${v}`));
  }
  if (filters.q !== undefined && filters.q !== '') where.push(qCondition(filters.q, param));
  if (filters.status === 'error') where.push('t.has_error');
  if (filters.status === 'ok') where.push('not t.has_error and t.has_ok');
  return where;
}

/** A span's deployment environment: resource attribute (either spelling), else span attribute. */
export function environmentOf(alias: string): string {
  return `coalesce(${alias}.resource -> 'attributes' ->> 'deployment.environment.name',
    ${alias}.resource -> 'attributes' ->> 'deployment.environment',
    ${alias}.attributes ->> 'deployment.environment.name',
    ${alias}.attributes ->> 'deployment.environment')`;
}

function msToNs(ms: number): string {
  return BigInt(Math.round(ms * 1e6)).toString();
}

/** The clauses over the summary's counted totals (tokens 0 and cost null when none counted). */
export function usageClauses(filters: TraceListFilters, param: AddParam): string[] {
  const clauses: string[] = [];
  const tokens = '(t.input_tokens + t.output_tokens)';
  if (filters.minTokens !== undefined) clauses.push(`${tokens} >= ${param(filters.minTokens)}`);
  if (filters.maxTokens !== undefined) clauses.push(`${tokens} <= ${param(filters.maxTokens)}`);
  if (filters.minCost !== undefined) clauses.push(`t.cost >= ${param(filters.minCost)}`);
  if (filters.maxCost !== undefined) clauses.push(`t.cost <= ${param(filters.maxCost)}`);
  return clauses;
}
