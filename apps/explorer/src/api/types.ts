/**
 * The read API's JSON (SPEC §9 "Read API encoding", "Trace list"), as the explorer reads it:
 * the store's and trace-core's types with nanosecond times as the decimal strings the API sends.
 * Type-only imports: nothing of those packages ends up in the browser bundle.
 */
import type {
  Dashboard,
  SessionSummary as StoredSessionSummary,
  TraceSummary as StoredTraceSummary,
  TraceFacets,
} from '@to11/store';
import type { Attributes, SpanEvent, SpanRecord } from '@to11/trace-core';

export type { Attributes, Dashboard, TraceFacets };

/** One row of `GET /api/v1/traces`. */
export type TraceSummary = Omit<StoredTraceSummary, 'startTimeUnixNano'> & {
  startTimeUnixNano: string;
};

/** `GET /api/v1/traces`. */
export interface TraceList {
  traces: TraceSummary[];
  nextCursor: string | null;
}

/** A type with the bigint nanosecond fields `K` as the API's decimal strings. */
type WithNanoStrings<T, K extends keyof T> = Omit<T, K> & { [P in K]: string };

/** One span of `GET /api/v1/traces/{traceId}`: the stored span without its project id. */
export type Span = WithNanoStrings<
  Omit<SpanRecord, 'projectId' | 'events'>,
  'startTimeUnixNano' | 'endTimeUnixNano'
> & { events: WithNanoStrings<SpanEvent, 'timeUnixNano'>[] };

/** `GET /api/v1/traces/{traceId}`. */
export interface Trace {
  traceId: string;
  spans: Span[];
}

/** One row of `GET /api/v1/sessions`. */
export type SessionSummary = Omit<
  StoredSessionSummary,
  'firstStartUnixNano' | 'lastStartUnixNano'
> & { firstStartUnixNano: string; lastStartUnixNano: string };

/** `GET /api/v1/sessions`. */
export interface SessionList {
  sessions: SessionSummary[];
  nextCursor: string | null;
}

/** `GET /api/v1/sessions/{sessionId}`: its traces, oldest first. */
export interface Session {
  sessionId: string;
  traces: TraceSummary[];
}
