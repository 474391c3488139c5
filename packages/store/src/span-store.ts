/** The span operations of the store (SPEC §6 read API, §7). */
import type { SpanRecord } from '@to11/trace-core';
import { dashboard } from './dashboard.ts';
import type { Database } from './database.ts';
import { asError, StoreInputError } from './errors.ts';
import { createPartitionManager } from './partitions.ts';
import { listSessions } from './sessions.ts';
import { readTrace } from './span-read.ts';
import { toSpanTextRow } from './span-row.ts';
import { createSpanWriter } from './span-writer.ts';
import { traceFacets } from './trace-facets.ts';
import { listTraces } from './trace-list.ts';
import type { Store, TraceSummary, WriteResult } from './types.ts';

const DAY_MS = 86_400_000;

/** Postgres `check_violation`, raised for a row no partition accepts. */
function isMissingPartition(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === '23514' &&
    /no partition/i.test(String((error as { message?: unknown }).message))
  );
}

/**
 * Whether a failed write was refused for what the spans hold rather than because the store is
 * down: the encoder's `StoreInputError`, or a Postgres data exception (SQLSTATE class 22, e.g.
 * `bigint out of range` for a partition bound of a time near 2^63). Retrying cannot help those.
 */
function isRejectedInput(error: unknown): boolean {
  if (error instanceof StoreInputError) return true;
  const code =
    typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : '';
  return typeof code === 'string' && code.startsWith('22');
}

/** Span writes and reads over an opened database. */
export function createSpanStore(database: Database): Store['spans'] {
  const partitions = createPartitionManager(database.raw);

  async function write(batch: SpanRecord[]): Promise<WriteResult> {
    if (batch.length === 0) return { status: 'ok', written: 0 };
    try {
      const rows = batch.map(toSpanTextRow);
      const starts = batch.map((span) => span.startTimeUnixNano);
      await partitions.ensure(starts);
      try {
        await database.insertSpanRows(rows);
      } catch (error) {
        // Another process dropped a partition this one remembered: forget, recreate, retry once.
        if (!isMissingPartition(error)) throw error;
        partitions.forget();
        await partitions.ensure(starts);
        await database.insertSpanRows(rows);
      }
      return { status: 'ok', written: batch.length };
    } catch (error) {
      return { status: isRejectedInput(error) ? 'rejected' : 'unavailable', error: asError(error) };
    }
  }

  return {
    write,
    createWriter: (options = {}) =>
      createSpanWriter(write, options, database.engine === 'pglite' ? 1 : 2),
    getTrace: (projectId, traceId) => readTrace(database.raw, projectId, traceId.toLowerCase()),
    listTraces: (projectId, filters) => listTraces(database.raw, projectId, filters),
    facets: (projectId, range = {}) => traceFacets(database.raw, projectId, range),
    listSessions: (projectId, filters) => listSessions(database.raw, projectId, filters),
    async getSession(projectId, sessionId) {
      const traces: TraceSummary[] = [];
      let cursor: string | undefined;
      do {
        const page = await listTraces(database.raw, projectId, {
          sessionId,
          includeService: true,
          limit: 500,
          ...(cursor === undefined ? {} : { cursor }),
        });
        traces.push(...page.traces);
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      return traces.reverse();
    },
    dashboard: (projectId, query) => dashboard(database.raw, projectId, query),
    dropPartitionsOlderThan: (days) => partitions.dropEndingBefore(Date.now() - days * DAY_MS),
  };
}
