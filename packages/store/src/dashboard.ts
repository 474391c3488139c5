/**
 * The dashboard of a time range: LLM calls (each counted once, counted-usage.ts) bucketed by
 * the call span's start, per model or provider, with latency and time-to-first-token
 * percentiles, totals and the top models by cost.
 */
import { countedCallsSql } from './counted-usage.ts';
import type { RawSql } from './database.ts';
import { StoreInputError } from './errors.ts';
import { rangeClauses } from './trace-facets.ts';

/** Bucket widths the automatic choice picks from (seconds). */
export const BUCKET_STEPS = [60, 300, 900, 3600, 10_800, 21_600, 86_400] as const;
const TARGET_BUCKETS = 60;
/** Sort memory of the dashboard's query. */
const WORK_MEM = '64MB';

/** Input of the dashboard. */
export interface DashboardQuery {
  sinceUnixNano: bigint;
  untilUnixNano: bigint;
  groupBy: 'model' | 'provider';
  /** Bucket width; default: the smallest step giving at most ~60 buckets. */
  bucketSeconds?: number;
}

/** Sums over some calls. */
export interface CallTotals {
  calls: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cost: number | null;
}

/** One bucket of one series. */
export interface DashboardPoint extends CallTotals {
  startUnixMs: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
}

/** The dashboard's answer. */
export interface Dashboard {
  bucketSeconds: number;
  totals: CallTotals;
  series: Array<{ key: string; points: DashboardPoint[] }>;
  topModelsByCost: Array<{ model: string; provider: string } & Omit<CallTotals, 'errors'>>;
}

/** The automatic bucket width of a range. */
export function autoBucketSeconds(sinceUnixNano: bigint, untilUnixNano: bigint): number {
  const rangeSeconds = Number((untilUnixNano - sinceUnixNano) / 1_000_000_000n);
  const wanted = rangeSeconds / TARGET_BUCKETS;
  return BUCKET_STEPS.find((step) => step >= wanted) ?? 86_400;
}

interface Row {
  grp: 'series' | 'top';
  bucket: string | null;
  key: string | null;
  model: string | null;
  provider: string | null;
  calls: number;
  errors: number;
  input_tokens: string;
  output_tokens: string;
  cost: number | string | null;
  /** p50 and p95, null when the bucket has no value. */
  latency: [number, number] | null;
  ttft: [number, number] | null;
}

const UNKNOWN = 'unknown';

function totalsOf(row: Row): CallTotals {
  return {
    calls: Number(row.calls),
    errors: Number(row.errors),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    cost: row.cost === null ? null : Number(row.cost),
  };
}

const SUMS = `count(*)::int as calls, count(*) filter (where status_code = 'ERROR')::int as errors,
  coalesce(sum(input_tokens), 0)::text as input_tokens,
  coalesce(sum(output_tokens), 0)::text as output_tokens, sum(cost) as cost`;

const quantile = (values: [number, number] | null, index: 0 | 1) =>
  values === null ? null : Number(values[index]);

/** Computes the dashboard of a project over a range. */
export async function dashboard(
  raw: RawSql,
  projectId: string,
  query: DashboardQuery,
): Promise<Dashboard> {
  if (query.untilUnixNano < query.sinceUnixNano) {
    throw new StoreInputError('since must not be after until');
  }
  const bucketSeconds =
    query.bucketSeconds ?? autoBucketSeconds(query.sinceUnixNano, query.untilUnixNano);
  if (!Number.isInteger(bucketSeconds) || bucketSeconds < 1) {
    throw new StoreInputError('bucketSeconds must be a positive integer');
  }
  const buckets =
    Number((query.untilUnixNano - query.sinceUnixNano) / 1_000_000_000n) / bucketSeconds;
  if (buckets > 10_000) throw new StoreInputError('bucketSeconds: more than 10000 buckets');
  const params: unknown[] = [projectId];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const range = rangeClauses(query, param, 'u.start_ns');
  const width = param((BigInt(bucketSeconds) * 1_000_000_000n).toString());
  const key = query.groupBy === 'model' ? 'model' : 'provider';
  // The series need percentiles (one sort per bucket and key, both quantiles from it; keys
  // compared bytewise); the top models only sums, hashed. Latency in float8, as percentile_cont
  // takes it (the same value as the numeric quotient: ns / 1e6 has at most 6 decimals).
  const text = `
    with calls as materialized (
      select (start_ns / ${width}::bigint) * (${width}::bigint / 1000000) as bucket_ms,
        coalesce(model, '${UNKNOWN}') collate "C" as model,
        coalesce(provider, '${UNKNOWN}') collate "C" as provider,
        status_code, input_tokens, output_tokens, cost, ttft_ms,
        (end_ns - start_ns)::float8 / 1e6 as latency_ms
      from (${countedCallsSql(range)}) counted
    )
    select 'series' as grp, bucket_ms::text as bucket, ${key} as key, null as model,
      null as provider, ${SUMS},
      percentile_cont(array[0.5, 0.95]) within group (order by latency_ms) as latency,
      percentile_cont(array[0.5, 0.95]) within group (order by ttft_ms) as ttft
    from calls
    group by bucket_ms, ${key}
    union all
    select 'top', null, null, model, provider, ${SUMS}, null, null
    from calls
    group by model, provider
    order by 1, 2, 3`;
  // A 30-day range sorts every counted call of the project: in memory, not in temp files.
  const rows = await raw.transaction(async (tx) => {
    await tx.query(`set local work_mem = '${WORK_MEM}'`);
    return tx.query<Row>(text, params);
  });
  const series = new Map<string, DashboardPoint[]>();
  const totals: CallTotals = { calls: 0, errors: 0, inputTokens: 0, outputTokens: 0, cost: null };
  const top: Dashboard['topModelsByCost'] = [];
  for (const row of rows) {
    const sums = totalsOf(row);
    if (row.grp === 'top') {
      const { errors: _errors, ...rest } = sums;
      top.push({ model: row.model ?? UNKNOWN, provider: row.provider ?? UNKNOWN, ...rest });
      continue;
    }
    totals.calls += sums.calls;
    totals.errors += sums.errors;
    totals.inputTokens += sums.inputTokens;
    totals.outputTokens += sums.outputTokens;
    if (sums.cost !== null) totals.cost = (totals.cost ?? 0) + sums.cost;
    const seriesKey = row.key ?? UNKNOWN;
    const points = series.get(seriesKey) ?? [];
    points.push({
      startUnixMs: Number(row.bucket),
      ...sums,
      latencyP50Ms: quantile(row.latency, 0),
      latencyP95Ms: quantile(row.latency, 1),
      ttftP50Ms: quantile(row.ttft, 0),
      ttftP95Ms: quantile(row.ttft, 1),
    });
    series.set(seriesKey, points);
  }
  top.sort((a, b) => (b.cost ?? -1) - (a.cost ?? -1) || b.calls - a.calls);
  return {
    bucketSeconds,
    totals,
    series: [...series].map(([seriesKey, points]) => ({ key: seriesKey, points })),
    topModelsByCost: top.slice(0, 10),
  };
}
