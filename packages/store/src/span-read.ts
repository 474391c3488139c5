/**
 * One trace's spans back into the `SpanRecord`s they were written from (the read API's trace by
 * id). One query: the primary key's (project, trace) prefix, bounded by the trace's start and end
 * from its summary so only the daily partitions it covers are probed; only the columns a record
 * holds (not the GenAI columns derived from its attributes), times as text for BigInt.
 */
import type { SpanRecord } from '@to11/trace-core';
import type { RawSql } from './database.ts';
import type { StoredSpanEvent } from './schema/spans.ts';

const TRACE_SQL = `select s.span_id, s.parent_span_id, s.trace_state, s.name, s.kind,
    s.start_time_unix_nano::text as start_ns, s.end_time_unix_nano::text as end_ns, s.status,
    s.attributes, s.resource, s.scope, s.events, s.links, s.flags, s.dropped_attributes_count,
    s.dropped_events_count, s.dropped_links_count, s.source
  from trace_summaries t
  join spans s on s.project_id = t.project_id and s.trace_id = t.trace_id
   and s.start_time_unix_nano between t.start_ns and t.end_ns
 where t.project_id = $1 and t.trace_id = $2
 order by s.start_time_unix_nano, s.span_id`;

interface TraceRow {
  span_id: string;
  parent_span_id: string | null;
  trace_state: string | null;
  name: string;
  kind: SpanRecord['kind'];
  start_ns: string;
  end_ns: string;
  status: SpanRecord['status'];
  attributes: SpanRecord['attributes'];
  resource: SpanRecord['resource'];
  scope: SpanRecord['scope'] | null;
  events: StoredSpanEvent[];
  links: SpanRecord['links'];
  flags: number | null;
  dropped_attributes_count: number | null;
  dropped_events_count: number | null;
  dropped_links_count: number | null;
  source: SpanRecord['source'];
}

/** Rebuilds the record; optional fields appear only when they were set. */
function toSpanRecord(projectId: string, traceId: string, row: TraceRow): SpanRecord {
  const record: SpanRecord = {
    projectId,
    traceId,
    spanId: row.span_id,
    parentSpanId: row.parent_span_id,
    name: row.name,
    kind: row.kind,
    startTimeUnixNano: BigInt(row.start_ns),
    endTimeUnixNano: BigInt(row.end_ns),
    status: row.status,
    attributes: row.attributes,
    resource: row.resource,
    events: row.events.map((event) => ({ ...event, timeUnixNano: BigInt(event.timeUnixNano) })),
    links: row.links,
    source: row.source,
  };
  if (row.trace_state !== null) record.traceState = row.trace_state;
  if (row.scope !== null) record.scope = row.scope;
  if (row.flags !== null) record.flags = row.flags;
  if (row.dropped_attributes_count !== null)
    record.droppedAttributesCount = row.dropped_attributes_count;
  if (row.dropped_events_count !== null) record.droppedEventsCount = row.dropped_events_count;
  if (row.dropped_links_count !== null) record.droppedLinksCount = row.dropped_links_count;
  return record;
}

/** The spans of one trace (trace id in lowercase hex), by start then span id; [] when none. */
export async function readTrace(
  raw: Pick<RawSql, 'query'>,
  projectId: string,
  traceId: string,
): Promise<SpanRecord[]> {
  const rows = await raw.query<TraceRow>(TRACE_SQL, [projectId, traceId]);
  return rows.map((row) => toSpanRecord(projectId, traceId, row));
}
