/**
 * The trace detail header's numbers, derived from the spans as SPEC §10 "Counting LLM calls
 * once" says: spans that describe the same call (an SDK wrapper, its provider-call child, the
 * gateway's GenAI span) count once, through the innermost one.
 */
import type { Span } from '../api/types.ts';
import { isGenAiSpan, isToolSpan, numberAttribute } from './span-kind.ts';

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

function hasUsage(span: Span): boolean {
  return (
    numberAttribute(span, 'gen_ai.usage.input_tokens') !== undefined ||
    numberAttribute(span, 'gen_ai.usage.output_tokens') !== undefined
  );
}

/** Spans matching `test` that have no descendant matching it. */
function innermost(spans: readonly Span[], test: (span: Span) => boolean): Span[] {
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const covered = new Set<string>();
  for (const span of spans) {
    if (!test(span)) continue;
    const seen = new Set<string>();
    let parentId = span.parentSpanId;
    while (parentId !== null && !seen.has(parentId)) {
      seen.add(parentId);
      covered.add(parentId);
      parentId = byId.get(parentId)?.parentSpanId ?? null;
    }
  }
  return spans.filter((span) => test(span) && !covered.has(span.spanId));
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
  let inputTokens = 0;
  let outputTokens = 0;
  let cost: number | null = null;
  for (const span of innermost(spans, hasUsage)) {
    inputTokens += numberAttribute(span, 'gen_ai.usage.input_tokens') ?? 0;
    outputTokens += numberAttribute(span, 'gen_ai.usage.output_tokens') ?? 0;
    const spanCost = numberAttribute(span, 'gen_ai.usage.cost');
    if (spanCost !== undefined) cost = (cost ?? 0) + spanCost;
  }
  const hasError = spans.some((span) => span.status.code === 'ERROR');
  const hasOk = spans.some((span) => span.status.code === 'OK');
  return {
    status: hasError ? 'error' : hasOk ? 'ok' : 'unset',
    spanCount: spans.length,
    durationMs: start === undefined || end === undefined ? 0 : Number(end - start) / 1e6,
    inputTokens,
    outputTokens,
    cost,
    llmCalls: innermost(spans, isGenAiSpan).length,
    toolCalls: spans.filter(isToolSpan).length,
  };
}
