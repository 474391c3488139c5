/** The values the explorer's filter multi-selects offer: what spans in a time range carry. */
import type { RawSql } from './database.ts';
import { environmentOf, SERVICE_SQL } from './trace-filters.ts';

/** Distinct values present in a range, each list sorted. */
export interface TraceFacets {
  models: string[];
  providers: string[];
  services: string[];
  environments: string[];
}

/** Bounds of a range of span starts (both inclusive, either open). */
export interface TimeRange {
  sinceUnixNano?: bigint;
  untilUnixNano?: bigint;
}

/** `and start_time_unix_nano …` clauses of a range over a table (alias) of spans. */
export function rangeClauses(
  range: TimeRange,
  param: (value: unknown) => string,
  column = 'start_time_unix_nano',
): string {
  const clauses: string[] = [];
  if (range.sinceUnixNano !== undefined) {
    clauses.push(`and ${column} >= ${param(range.sinceUnixNano.toString())}::bigint`);
  }
  if (range.untilUnixNano !== undefined) {
    clauses.push(`and ${column} <= ${param(range.untilUnixNano.toString())}::bigint`);
  }
  return clauses.join(' ');
}

const distinctOf = (expression: string, from: string) =>
  `(select coalesce(array_agg(distinct v order by v), '{}') from (select ${expression} as v from ${from}) x where v is not null)`;

/** Distinct models (request or response), providers, services and environments of a range. */
export async function traceFacets(
  raw: RawSql,
  projectId: string,
  range: TimeRange,
): Promise<TraceFacets> {
  const params: unknown[] = [projectId];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const text = `
    with s as materialized (
      select request_model, response_model, provider, resource, attributes from spans
       where project_id = $1 ${rangeClauses(range, param)}
    )
    select
      (select coalesce(array_agg(distinct v order by v), '{}') from
        (select request_model as v from s union select response_model from s) x
        where v is not null) as models,
      ${distinctOf('provider', 's')} as providers,
      ${distinctOf(SERVICE_SQL, 's')} as services,
      ${distinctOf(environmentOf('s'), 's')} as environments`;
  const [row] = await raw.query<TraceFacets>(text, params);
  return {
    models: row?.models ?? [],
    providers: row?.providers ?? [],
    services: row?.services ?? [],
    environments: row?.environments ?? [],
  };
}
