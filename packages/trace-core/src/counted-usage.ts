/**
 * SPEC §10 "Counting LLM calls once", over the spans of one trace as the read API returns them:
 * spans that describe the same call (an SDK wrapper, its provider-call child, the gateway's GenAI
 * span) count once, through the innermost one that carries usage. The store applies the same rule
 * in SQL (`packages/store/src/counted-usage.ts`); this is the one copy for clients (the explorer,
 * the CLI). Pure, browser-safe.
 */

/** The fields of a read-API span the rule needs. */
export interface UsageSpan {
  spanId: string;
  parentSpanId: string | null;
  attributes: Record<string, unknown>;
  /** `gateway` for the gateway's own spans; with the times, places a stray gateway span. */
  source?: string;
  /** Nanoseconds, as a bigint or the read API's decimal string. */
  startTimeUnixNano?: bigint | string;
  endTimeUnixNano?: bigint | string;
}

/** Tokens and cost of a trace, each LLM call counted once. */
export interface CountedUsage {
  inputTokens: number;
  outputTokens: number;
  /** USD, null when no counted span has a cost. */
  cost: number | null;
}

/** A numeric attribute (int64 values arrive as decimal strings); undefined otherwise. */
export function numberAttribute(span: UsageSpan, key: string): number | undefined {
  const value = span.attributes[key];
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value)) return Number(value);
  return undefined;
}

/** Whether the span reports input or output tokens. */
export function hasUsage(span: UsageSpan): boolean {
  return (
    numberAttribute(span, 'gen_ai.usage.input_tokens') !== undefined ||
    numberAttribute(span, 'gen_ai.usage.output_tokens') !== undefined
  );
}

/** Whether `inner`'s time interval lies within `outer`'s (both with times). */
function within(inner: UsageSpan, outer: UsageSpan): boolean {
  const times = [
    inner.startTimeUnixNano,
    inner.endTimeUnixNano,
    outer.startTimeUnixNano,
    outer.endTimeUnixNano,
  ];
  if (times.some((time) => time === undefined)) return false;
  const [innerStart, innerEnd, outerStart, outerEnd] = times.map((time) => BigInt(time as string));
  return (
    (outerStart as bigint) <= (innerStart as bigint) && (innerEnd as bigint) <= (outerEnd as bigint)
  );
}

/**
 * Spans matching `test` that have no descendant matching it, the gateway's own span first: a
 * gateway span whose chain of parents breaks (a parent that was never exported, such as the
 * HTTP client span a Langfuse processor filters out) still sits below the call span that
 * contains it in time, so a non-gateway matching span whose interval contains such a stray
 * gateway span counts as above it.
 */
export function innermostSpans<S extends UsageSpan>(
  spans: readonly S[],
  test: (span: S) => boolean,
): S[] {
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const covered = new Set<string>();
  const strays: S[] = [];
  for (const span of spans) {
    if (!test(span)) continue;
    const seen = new Set<string>();
    let parentId = span.parentSpanId;
    let broken = false;
    while (parentId !== null && !seen.has(parentId)) {
      seen.add(parentId);
      covered.add(parentId);
      const parent = byId.get(parentId);
      broken = parent === undefined;
      parentId = parent?.parentSpanId ?? null;
    }
    if (broken && span.source === 'gateway') strays.push(span);
  }
  for (const span of spans) {
    if (span.source === 'gateway' || covered.has(span.spanId) || !test(span)) continue;
    if (strays.some((stray) => within(stray, span))) covered.add(span.spanId);
  }
  return spans.filter((span) => test(span) && !covered.has(span.spanId));
}

/** Tokens and cost of one trace's spans, each LLM call counted once. */
export function countedUsage(spans: readonly UsageSpan[]): CountedUsage {
  let inputTokens = 0;
  let outputTokens = 0;
  let cost: number | null = null;
  for (const span of innermostSpans(spans, hasUsage)) {
    inputTokens += numberAttribute(span, 'gen_ai.usage.input_tokens') ?? 0;
    outputTokens += numberAttribute(span, 'gen_ai.usage.output_tokens') ?? 0;
    const spanCost = numberAttribute(span, 'gen_ai.usage.cost');
    if (spanCost !== undefined) cost = (cost ?? 0) + spanCost;
  }
  return { inputTokens, outputTokens, cost };
}
