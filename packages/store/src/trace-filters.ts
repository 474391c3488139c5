/**
 * The trace list's filters as SQL (every one is "some span of the trace …", or a bound on the
 * trace's duration or counted usage), all combined with AND. `having` clauses run over the
 * trace's spans grouped as `s`; `usage` clauses over the counted totals `u` (counted-usage.ts).
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

/** `value` as a LIKE pattern matching it literally anywhere. */
function containsPattern(value: string): string {
  return `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const anySpan = (condition: string) => `coalesce(bool_or(${condition}), false)`;

function qCondition(q: string, param: AddParam): string {
  const pattern = param(containsPattern(q));
  const content = CONTENT_KEYS.map((key) => `${attr(`'${key}'`)} ilike ${pattern}`);
  const any = [`s.name ilike ${pattern}`, ...content];
  if (/^[0-9a-fA-F]{8,32}$/.test(q)) {
    any.unshift(`s.trace_id like ${param(`${q.toLowerCase()}%`)}`);
  }
  return anySpan(any.join(' or '));
}

/** The `having` clauses (over the trace's spans `s`) of the span and duration filters. */
export function havingClauses(filters: TraceListFilters, param: AddParam): string[] {
  const having: string[] = [];
  if (filters.models !== undefined && filters.models.length > 0) {
    const models = param(filters.models);
    having.push(
      anySpan(
        `s.request_model = any(${models}::text[]) or s.response_model = any(${models}::text[])`,
      ),
    );
  }
  if (filters.providers !== undefined && filters.providers.length > 0) {
    having.push(anySpan(`s.provider = any(${param(filters.providers)}::text[])`));
  }
  if (filters.sessionId !== undefined) {
    having.push(anySpan(`s.session_id = ${param(filters.sessionId)}`));
  }
  if (filters.service !== undefined) {
    having.push(anySpan(`${SERVICE_SQL} = ${param(filters.service)}`));
  }
  if (filters.userId !== undefined) {
    const user = param(filters.userId);
    having.push(
      anySpan(
        ["'user.id'", "'enduser.id'", "'gen_ai.user.id'"]
          .map((k) => `${attr(k)} = ${user}`)
          .join(' or '),
      ),
    );
  }
  if (filters.environment !== undefined) {
    const env = param(filters.environment);
    having.push(anySpan(`${environmentOf('s')} = ${env}`));
  }
  if (filters.hasToolCalls !== undefined) {
    const tool = anySpan(
      `s.operation = 'execute_tool' or s.name like 'tool\\_call.%' or ${attr("'gen_ai.output.messages'")} like '%"tool_call"%'`,
    );
    having.push(filters.hasToolCalls ? tool : `not ${tool}`);
  }
  const duration = '(max(s.end_time_unix_nano) - min(s.start_time_unix_nano))';
  if (filters.minDurationMs !== undefined) {
    having.push(`${duration} >= ${param(msToNs(filters.minDurationMs))}::bigint`);
  }
  if (filters.maxDurationMs !== undefined) {
    having.push(`${duration} <= ${param(msToNs(filters.maxDurationMs))}::bigint`);
  }
  for (const [key, value] of filters.attributes ?? []) {
    const k = param(key);
    const v = param(value);
    having.push(anySpan(`${attr(k)} = ${v} or ${resourceAttr(k)} = ${v}`));
  }
  if (filters.q !== undefined && filters.q !== '') having.push(qCondition(filters.q, param));
  if (filters.status === 'error') having.push(`bool_or(s.status_code = 'ERROR')`);
  if (filters.status === 'ok') {
    having.push(`not bool_or(s.status_code = 'ERROR') and bool_or(s.status_code = 'OK')`);
  }
  return having;
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

/** Whether the filters bound the counted tokens or cost (the list then counts every candidate). */
export function hasUsageFilters(filters: TraceListFilters): boolean {
  return (
    filters.minTokens !== undefined ||
    filters.maxTokens !== undefined ||
    filters.minCost !== undefined ||
    filters.maxCost !== undefined
  );
}

/** The `where` clauses over the counted totals `u` (tokens 0 and cost null when absent). */
export function usageClauses(filters: TraceListFilters, param: AddParam): string[] {
  const clauses: string[] = [];
  const tokens = '(coalesce(u.input_tokens, 0) + coalesce(u.output_tokens, 0))';
  if (filters.minTokens !== undefined) clauses.push(`${tokens} >= ${param(filters.minTokens)}`);
  if (filters.maxTokens !== undefined) clauses.push(`${tokens} <= ${param(filters.maxTokens)}`);
  if (filters.minCost !== undefined) clauses.push(`u.cost >= ${param(filters.minCost)}`);
  if (filters.maxCost !== undefined) clauses.push(`u.cost <= ${param(filters.maxCost)}`);
  return clauses;
}
