/** The read API's JSON (SPEC §9 "Read API encoding", "Trace list"), as the explorer reads it. */

/** A flat attribute map: arrays stay arrays, int64 beyond 2^53 arrive as strings. */
export type Attributes = Record<string, unknown>;

/** One row of `GET /api/v1/traces`. */
export interface TraceSummary {
  traceId: string;
  rootName: string | null;
  startTimeUnixNano: string;
  durationMs: number;
  spanCount: number;
  status: 'ok' | 'error' | 'unset';
  models: string[];
  providers: string[];
  inputTokens: number;
  outputTokens: number;
  cost: number | null;
  sessionId: string | null;
}

/** `GET /api/v1/traces`. */
export interface TraceList {
  traces: TraceSummary[];
  nextCursor: string | null;
}

/** One span of `GET /api/v1/traces/{traceId}`. */
export interface Span {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  status: { code: 'UNSET' | 'OK' | 'ERROR'; message?: string };
  attributes: Attributes;
  resource: { attributes: Attributes };
  events: { name: string; timeUnixNano: string; attributes: Attributes }[];
  links: { traceId: string; spanId: string; attributes: Attributes }[];
  source: 'gateway' | 'otlp';
}

/** `GET /api/v1/traces/{traceId}`. */
export interface Trace {
  traceId: string;
  spans: Span[];
}
