/**
 * `to11 traces list` as a table and `to11 traces show` as an indented span tree. Times are UTC;
 * tokens and cost of the tree's header count each LLM call once (SPEC §10: a span's usage counts
 * only when no span below it carries usage).
 */
import { countedUsage, hasUsage, numberAttribute } from '@to11/trace-core/counted-usage';
import type { SpanView, TraceSummaryView } from './admin-client.ts';
import { formatTable } from './text-table.ts';

/** `1.2 ms`, `340 ms`, `2.31 s`. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** USD with enough digits for fractions of a cent; `-` when unknown. */
export function formatUsd(cost: number | null): string {
  if (cost === null) return '-';
  if (cost === 0) return '$0';
  return cost < 0.01 ? `$${cost.toPrecision(2)}` : `$${cost.toFixed(4)}`;
}

function utc(unixNano: string): string {
  return new Date(Number(BigInt(unixNano) / 1_000_000n))
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z');
}

/** `openai/gpt-4o-mini`; several providers or models comma-separated; `-` for none. */
function modelLabel(trace: TraceSummaryView): string {
  const models = trace.models.join(',');
  const providers = trace.providers.join(',');
  if (models === '' || providers === '') return models || providers || '-';
  return `${providers}/${models}`;
}

/** Trace summaries as a table, newest first as the API sent them; the cursor line when more. */
export function formatTraceList(
  traces: readonly TraceSummaryView[],
  nextCursor: string | null,
): string {
  if (traces.length === 0) return 'No traces match (widen --since or drop a filter).';
  const table = formatTable(
    [
      'TIME',
      'TRACE',
      'STATUS',
      'DURATION',
      'MODEL',
      'IN',
      'OUT',
      'COST',
      'SPANS',
      'SESSION',
      'ROOT',
    ],
    traces.map((trace) => [
      utc(trace.startTimeUnixNano),
      trace.traceId,
      trace.status,
      formatMs(trace.durationMs),
      modelLabel(trace),
      String(trace.inputTokens),
      String(trace.outputTokens),
      formatUsd(trace.cost),
      String(trace.spanCount),
      trace.sessionId ?? '-',
      trace.rootName ?? '-',
    ]),
  );
  return nextCursor === null ? table : `${table}\n\nMore: --cursor ${nextCursor}`;
}

function durationMs(span: SpanView): number {
  return Number(BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) / 1e6;
}

/** What one tree line says after the name: duration, source, model, tokens, cost, error. */
function spanDetails(span: SpanView): string {
  const parts = [formatMs(durationMs(span)), span.source === 'gateway' ? 'gateway' : 'app'];
  const model = span.attributes['gen_ai.response.model'] ?? span.attributes['gen_ai.request.model'];
  const provider = span.attributes['gen_ai.provider.name'];
  if (typeof model === 'string')
    parts.push(typeof provider === 'string' ? `${provider}/${model}` : model);
  if (hasUsage(span)) {
    parts.push(
      `${numberAttribute(span, 'gen_ai.usage.input_tokens') ?? 0} in / ${numberAttribute(span, 'gen_ai.usage.output_tokens') ?? 0} out`,
    );
  }
  const cost = numberAttribute(span, 'gen_ai.usage.cost');
  if (cost !== undefined) parts.push(formatUsd(cost));
  if (span.status.code === 'ERROR')
    parts.push(`ERROR${span.status.message ? `: ${span.status.message}` : ''}`);
  return parts.join('  ');
}

/** Spans depth-first under their parents (children by start time); orphans and cycles as roots. */
export function spanTree(spans: readonly SpanView[]): { span: SpanView; depth: number }[] {
  const ids = new Set(spans.map((span) => span.spanId));
  const byStart = (a: SpanView, b: SpanView) =>
    BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano)
      ? -1
      : BigInt(a.startTimeUnixNano) > BigInt(b.startTimeUnixNano)
        ? 1
        : a.spanId.localeCompare(b.spanId);
  const children = new Map<string | null, SpanView[]>();
  for (const span of spans) {
    const parent =
      span.parentSpanId !== null && ids.has(span.parentSpanId) && span.parentSpanId !== span.spanId
        ? span.parentSpanId
        : null;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  for (const list of children.values()) list.sort(byStart);
  const rows: { span: SpanView; depth: number }[] = [];
  const seen = new Set<string>();
  const stack = [...(children.get(null) ?? [])].reverse().map((span) => ({ span, depth: 0 }));
  while (stack.length > 0) {
    const next = stack.pop();
    if (next === undefined || seen.has(next.span.spanId)) continue;
    seen.add(next.span.spanId);
    rows.push(next);
    const kids = children.get(next.span.spanId) ?? [];
    for (let i = kids.length - 1; i >= 0; i--) {
      const kid = kids[i];
      if (kid !== undefined) stack.push({ span: kid, depth: next.depth + 1 });
    }
  }
  for (const span of [...spans].sort(byStart)) {
    if (!seen.has(span.spanId)) rows.push({ span, depth: 0 });
  }
  return rows;
}

/** A trace as a header line and one indented line per span. */
export function formatTraceTree(traceId: string, spans: readonly SpanView[]): string {
  const rows = spanTree(spans);
  let start: bigint | undefined;
  let end: bigint | undefined;
  for (const span of spans) {
    const s = BigInt(span.startTimeUnixNano);
    const e = BigInt(span.endTimeUnixNano);
    if (start === undefined || s < start) start = s;
    if (end === undefined || e > end) end = e;
  }
  const totals = countedUsage(spans);
  const errors = spans.filter((span) => span.status.code === 'ERROR').length;
  const header = [
    `Trace ${traceId}`,
    errors > 0 ? `${errors} error${errors === 1 ? '' : 's'}` : 'no errors',
    formatMs(start === undefined || end === undefined ? 0 : Number(end - start) / 1e6),
    `${spans.length} span${spans.length === 1 ? '' : 's'}`,
    `${totals.inputTokens} in / ${totals.outputTokens} out`,
    formatUsd(totals.cost),
  ].join('  ');
  const lines = rows.map(
    ({ span, depth }) => `${'  '.repeat(depth)}${span.name}  ${spanDetails(span)}`,
  );
  return [header, '', ...lines].join('\n');
}
