/** JSON of the explorer's views (sessions), nanosecond times as decimal strings like SPEC §9. */
import type { SessionSummary } from '@to11/store';

/** One row of `GET /api/v1/sessions`. */
export type SessionJson = Omit<SessionSummary, 'firstStartUnixNano' | 'lastStartUnixNano'> & {
  firstStartUnixNano: string;
  lastStartUnixNano: string;
};

/** Encodes a session summary. */
export function sessionToJson(session: SessionSummary): SessionJson {
  return {
    sessionId: session.sessionId,
    traceCount: session.traceCount,
    callCount: session.callCount,
    firstStartUnixNano: session.firstStartUnixNano.toString(),
    lastStartUnixNano: session.lastStartUnixNano.toString(),
    durationMs: session.durationMs,
    inputTokens: session.inputTokens,
    outputTokens: session.outputTokens,
    cost: session.cost,
    models: session.models,
    errorCount: session.errorCount,
  };
}
