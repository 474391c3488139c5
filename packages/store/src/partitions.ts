/**
 * Daily span partitions (SPEC §7): `spans_pYYYYMMDD` holds spans starting that UTC day. They are
 * created on demand for the days a batch touches, remembered per process, and dropped for
 * retention. There is no default partition: a span never lands somewhere retention misses.
 */
import type { RawSql } from './database.ts';

/** Nanoseconds in a day. */
export const DAY_NS = 86_400_000_000_000n;
const DAY_MS = 86_400_000;
/** Serializes partition DDL across processes sharing one Postgres. */
const PARTITION_LOCK = 7_011_002;
const PARTITION_NAME = /^spans_p(\d{4})(\d{2})(\d{2})$/;

/** The UTC day number (days since the epoch) of a nanosecond time ≥ 0. */
export function dayOf(unixNano: bigint): number {
  return Number(unixNano / DAY_NS);
}

/** `spans_pYYYYMMDD` of a day number. */
export function partitionName(day: number): string {
  return `spans_p${new Date(day * DAY_MS).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/** The day number of a partition name, or null when it is not one. */
export function partitionDay(name: string): number | null {
  const match = PARTITION_NAME.exec(name);
  if (match === null) return null;
  const [, year, month, day] = match;
  return Date.UTC(Number(year), Number(month) - 1, Number(day)) / DAY_MS;
}

/** Creates and drops span partitions. */
export interface PartitionManager {
  /** Makes sure a partition exists for every day of `startTimes`. */
  ensure(startTimes: Iterable<bigint>): Promise<void>;
  /** Forgets what this process knows (another process may have dropped partitions). */
  forget(): void;
  /** Drops partitions whose range ends at or before `cutoffUnixMs`; returns their names. */
  dropEndingBefore(cutoffUnixMs: number): Promise<string[]>;
}

/**
 * After partitions before `boundary` are dropped: the summaries of traces that started there are
 * rebuilt from their spans that remain (none, usually: then the summary goes), their usage spans
 * that were dropped go, and the remaining ones are recounted (a dropped descendant may have been
 * what kept an ancestor's usage from counting).
 */
async function resummarizeStartingBefore(raw: RawSql, boundary: bigint): Promise<void> {
  await raw.transaction(async (tx) => {
    await tx.query(
      'create temp table if not exists trace_summaries_gone (project_id text, trace_id text, end_ns bigint) on commit delete rows',
    );
    await tx.query(
      `with gone as (delete from trace_summaries where start_ns < ${boundary} returning project_id, trace_id, end_ns)
       insert into trace_summaries_gone select * from gone`,
    );
    await tx.query(
      `select trace_summaries_merge('(select s.* from trace_summaries_gone g join spans s on s.project_id = g.project_id and s.trace_id = g.trace_id and s.start_time_unix_nano between ${boundary} and g.end_ns)')`,
    );
    await tx.query(`delete from usage_spans where start_ns < ${boundary}`);
    await tx.query(
      `select usage_spans_recount('(select project_id, trace_id, 0 as n from trace_summaries_gone)', '(select * from spans where false)')`,
    );
  });
}

/** A partition manager over `raw`. */
export function createPartitionManager(raw: RawSql): PartitionManager {
  const known = new Set<number>();
  return {
    async ensure(startTimes) {
      const missing = new Set<number>();
      for (const start of startTimes) {
        const day = dayOf(start);
        if (!known.has(day)) missing.add(day);
      }
      for (const day of missing) {
        const from = BigInt(day) * DAY_NS;
        await raw.transaction(async (tx) => {
          await tx.query(`select pg_advisory_xact_lock(${PARTITION_LOCK})`);
          await tx.query(
            `CREATE TABLE IF NOT EXISTS "${partitionName(day)}" PARTITION OF spans FOR VALUES FROM (${from}) TO (${from + DAY_NS})`,
          );
        });
        known.add(day);
      }
    },
    forget() {
      known.clear();
    },
    async dropEndingBefore(cutoffUnixMs) {
      const rows = await raw.query<{ name: string }>(
        `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
          where i.inhparent = 'spans'::regclass order by c.relname`,
      );
      const dropped: string[] = [];
      let boundary: bigint | null = null;
      for (const { name } of rows) {
        const day = partitionDay(name);
        if (day === null || (day + 1) * DAY_MS > cutoffUnixMs) continue;
        await raw.transaction(async (tx) => {
          await tx.query(`select pg_advisory_xact_lock(${PARTITION_LOCK})`);
          await tx.query(`DROP TABLE IF EXISTS "${name}"`);
        });
        known.delete(day);
        dropped.push(name);
        boundary = BigInt(day + 1) * DAY_NS;
      }
      if (boundary !== null) await resummarizeStartingBefore(raw, boundary);
      return dropped;
    },
  };
}
