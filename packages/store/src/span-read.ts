/** A stored span row back into the `SpanRecord` it was written from. */
import type { SpanRecord } from '@to11/trace-core';
import type { SpanRow } from './schema/spans.ts';

/** Rebuilds the record; optional fields appear only when they were set. */
export function toSpanRecord(row: SpanRow): SpanRecord {
  const record: SpanRecord = {
    projectId: row.projectId,
    traceId: row.traceId,
    spanId: row.spanId,
    parentSpanId: row.parentSpanId,
    name: row.name,
    kind: row.kind,
    startTimeUnixNano: row.startTimeUnixNano,
    endTimeUnixNano: row.endTimeUnixNano,
    status: row.status,
    attributes: row.attributes,
    resource: row.resource,
    events: row.events.map((event) => ({ ...event, timeUnixNano: BigInt(event.timeUnixNano) })),
    links: row.links,
    source: row.source,
  };
  if (row.traceState !== null) record.traceState = row.traceState;
  if (row.scope !== null) record.scope = row.scope;
  if (row.flags !== null) record.flags = row.flags;
  if (row.droppedAttributesCount !== null)
    record.droppedAttributesCount = row.droppedAttributesCount;
  if (row.droppedEventsCount !== null) record.droppedEventsCount = row.droppedEventsCount;
  if (row.droppedLinksCount !== null) record.droppedLinksCount = row.droppedLinksCount;
  return record;
}
