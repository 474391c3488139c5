/**
 * What the compare page puts side by side for one trace: its totals (SPEC §10 counting, as the
 * detail header), the models it called and its final answer (the output messages of the GenAI
 * span that ended last).
 */
import type { Span } from '../api/types.ts';
import { type GenAiMessage, spanMessages } from '../conversation/messages.ts';
import { isGenAiSpan } from '../waterfall/span-kind.ts';
import { type TraceTotals, traceTotals } from '../waterfall/trace-totals.ts';

/** One side of the comparison. */
export interface CompareFacts {
  totals: TraceTotals;
  models: string[];
  output: GenAiMessage[];
}

function modelOf(span: Span): string | null {
  const model = span.attributes['gen_ai.response.model'] ?? span.attributes['gen_ai.request.model'];
  return typeof model === 'string' && model !== '' ? model : null;
}

/** The facts of a trace's spans. */
export function compareFacts(spans: readonly Span[]): CompareFacts {
  const genai = spans.filter(isGenAiSpan);
  const models = [...new Set(genai.flatMap((span) => modelOf(span) ?? []))].sort();
  let last: { span: Span; output: GenAiMessage[] } | undefined;
  for (const span of genai) {
    const { output } = spanMessages(span);
    if (output.length === 0) continue;
    if (last === undefined || BigInt(span.endTimeUnixNano) > BigInt(last.span.endTimeUnixNano))
      last = { span, output };
  }
  const output = last?.output ?? [];
  return { totals: traceTotals(spans), models, output };
}

/** `b` against `a` as a signed percentage (`+12%`, `-40%`), or '' when it cannot be said. */
export function relativeChange(a: number | null, b: number | null): string {
  if (a === null || b === null || a === 0) return '';
  const pct = Math.round(((b - a) / a) * 100);
  return pct === 0 ? '±0%' : `${pct > 0 ? '+' : ''}${pct}%`;
}
