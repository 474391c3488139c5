/**
 * The trace detail header's numbers, derived from the spans as SPEC §10 "Counting LLM calls
 * once" says: spans that describe the same call (an SDK wrapper, its provider-call child, the
 * gateway's GenAI span) count once, through the innermost one.
 */

import { countedUsage, innermostSpans } from '@to11/trace-core/counted-usage';
import type { Span } from '../api/types.ts';
import { isGenAiSpan, isToolSpan } from './span-kind.ts';

/** What the header shows. */
export interface TraceTotals {
  status: 'ok' | 'error' | 'unset';
  spanCount: number;
  durationMs: number;
  inputTokens: number;
  outputTokens: number;
  /** USD, null when no span has a cost. */
  cost: number | null;
  llmCalls: number;
  toolCalls: number;
}

/** Totals of one trace. */
export function traceTotals(spans: readonly Span[]): TraceTotals {
  let start: bigint | undefined;
  let end: bigint | undefined;
  for (const span of spans) {
    const s = BigInt(span.startTimeUnixNano);
    const e = BigInt(span.endTimeUnixNano);
    if (start === undefined || s < start) start = s;
    if (end === undefined || e > end) end = e;
  }
  const { inputTokens, outputTokens, cost } = countedUsage(spans);
  const hasError = spans.some((span) => span.status.code === 'ERROR');
  const hasOk = spans.some((span) => span.status.code === 'OK');
  return {
    status: hasError ? 'error' : hasOk ? 'ok' : 'unset',
    spanCount: spans.length,
    durationMs: start === undefined || end === undefined ? 0 : Number(end - start) / 1e6,
    inputTokens,
    outputTokens,
    cost,
    llmCalls: innermostSpans(spans, isGenAiSpan).length,
    toolCalls: spans.filter(isToolSpan).length,
  };
}
