/** The totals of one session, from its trace summaries (`GET /api/v1/sessions/{id}`). */
import type { TraceSummary } from '../api/types.ts';

/** What the session page's header says. */
export interface SessionFacts {
  traceCount: number;
  inputTokens: number;
  outputTokens: number;
  /** USD, null when no trace had a priced call. */
  cost: number | null;
  /** First trace start to the last trace end. */
  durationMs: number;
  firstStartUnixNano: string | null;
  lastStartUnixNano: string | null;
  errorCount: number;
}

/** Sums the summaries; each summary already counts its LLM calls once. */
export function sessionFacts(traces: readonly TraceSummary[]): SessionFacts {
  let first: bigint | null = null;
  let last: bigint | null = null;
  let end = 0;
  const facts: SessionFacts = {
    traceCount: traces.length,
    inputTokens: 0,
    outputTokens: 0,
    cost: null,
    durationMs: 0,
    firstStartUnixNano: null,
    lastStartUnixNano: null,
    errorCount: 0,
  };
  for (const trace of traces) {
    const start = BigInt(trace.startTimeUnixNano);
    if (first === null || start < first) first = start;
    if (last === null || start > last) last = start;
    facts.inputTokens += trace.inputTokens;
    facts.outputTokens += trace.outputTokens;
    if (trace.cost !== null) facts.cost = (facts.cost ?? 0) + trace.cost;
    if (trace.status === 'error') facts.errorCount++;
    end = Math.max(end, Number(start / 1000n) / 1000 + trace.durationMs);
  }
  if (first !== null && last !== null) {
    facts.firstStartUnixNano = first.toString();
    facts.lastStartUnixNano = last.toString();
    facts.durationMs = Math.max(0, end - Number(first / 1000n) / 1000);
  }
  return facts;
}
