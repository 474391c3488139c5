/**
 * Spans (SPEC §7). Time-partitioned by span start: one partition per UTC day, created on demand
 * by the writer (`partitions.ts`), so retention is a partition drop.
 *
 * drizzle-kit cannot express `PARTITION BY`, so this table's DDL is the custom migration
 * `drizzle/0001_spans.sql`, kept in step with this definition by hand; drizzle.config.ts leaves
 * this file out of `generate`. The definition here types the queries.
 *
 * The primary key leads with (project_id, trace_id), so it is also the trace lookup index;
 * Postgres requires the partition key in it, hence `start_time_unix_nano` last.
 */
import type {
  Attributes,
  SpanKind,
  SpanLink,
  SpanResource,
  SpanScope,
  SpanSource,
  SpanStatus,
  StatusCode,
} from '@to11/trace-core';
import {
  bigint,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
} from 'drizzle-orm/pg-core';

/** A span event as stored in jsonb: the time as a decimal string (JSON has no bigint). */
export interface StoredSpanEvent {
  name: string;
  timeUnixNano: string;
  attributes: Attributes;
  droppedAttributesCount?: number;
}

/** One row per span; the GenAI columns are copied from the attributes at write time. */
export const spans = pgTable(
  'spans',
  {
    projectId: text().notNull(),
    traceId: text().notNull(),
    spanId: text().notNull(),
    parentSpanId: text(),
    traceState: text(),
    name: text().notNull(),
    kind: text().$type<SpanKind>().notNull(),
    startTimeUnixNano: bigint({ mode: 'bigint' }).notNull(),
    endTimeUnixNano: bigint({ mode: 'bigint' }).notNull(),
    statusCode: text().$type<StatusCode>().notNull(),
    status: jsonb().$type<SpanStatus>().notNull(),
    attributes: jsonb().$type<Attributes>().notNull(),
    resource: jsonb().$type<SpanResource>().notNull(),
    scope: jsonb().$type<SpanScope>(),
    events: jsonb().$type<StoredSpanEvent[]>().notNull(),
    links: jsonb().$type<SpanLink[]>().notNull(),
    flags: integer(),
    droppedAttributesCount: integer(),
    droppedEventsCount: integer(),
    droppedLinksCount: integer(),
    source: text().$type<SpanSource>().notNull(),
    operation: text(),
    provider: text(),
    requestModel: text(),
    responseModel: text(),
    inputTokens: integer(),
    outputTokens: integer(),
    cost: doublePrecision(),
    sessionId: text(),
  },
  (t) => [
    primaryKey({
      name: 'spans_pkey',
      columns: [t.projectId, t.traceId, t.spanId, t.startTimeUnixNano],
    }),
    index('spans_project_start_idx').on(t.projectId, t.startTimeUnixNano.desc()),
  ],
);

/** A selected span row. */
export type SpanRow = typeof spans.$inferSelect;
