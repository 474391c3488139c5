/**
 * Waterfall layout: spans nested by parent, children in start order, each placed on the trace's
 * time axis as an offset and a width in percent. A span whose parent is not in the trace (not
 * arrived yet, or outside the project) is shown as a root, so nothing is hidden.
 */

import { numberAttribute } from '@to11/trace-core/counted-usage';
import type { Span } from '../api/types.ts';
import { isGenAiSpan } from './span-kind.ts';

/** `gen_ai.server.time_to_first_token` (seconds, semconv) of a GenAI span, in ms; null if none. */
export function timeToFirstTokenMs(span: Span): number | null {
  if (!isGenAiSpan(span)) return null;
  const seconds = numberAttribute(span, 'gen_ai.server.time_to_first_token');
  return seconds === undefined || seconds < 0 ? null : seconds * 1000;
}

/** One row of the waterfall. */
export interface WaterfallRow {
  span: Span;
  depth: number;
  /** Start on the time axis, 0–100. */
  offsetPct: number;
  /** Width on the time axis, 0–100 (a zero-length span stays visible through CSS min-width). */
  widthPct: number;
  durationMs: number;
  /** Number of direct children (0: a leaf, no toggle). */
  childCount: number;
  /** Time to first token of a GenAI span, in ms after its start; null when not recorded. */
  ttftMs: number | null;
  /** Where the first token lands on the time axis, 0–100 (never past the span's end); null if none. */
  ttftPct: number | null;
}

/** The layout of a whole trace. */
export interface WaterfallLayout {
  startNs: bigint;
  endNs: bigint;
  durationMs: number;
  /** Every span, depth first. */
  rows: WaterfallRow[];
}

function byStart(a: Span, b: Span): number {
  const delta = BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano);
  if (delta !== 0n) return delta < 0n ? -1 : 1;
  return a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0;
}

/** Lays out `spans` (any order). */
export function layoutWaterfall(spans: readonly Span[]): WaterfallLayout {
  if (spans.length === 0) return { startNs: 0n, endNs: 0n, durationMs: 0, rows: [] };
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string | null, Span[]>();
  let startNs = BigInt(spans[0]?.startTimeUnixNano ?? 0);
  let endNs = startNs;
  for (const span of spans) {
    const start = BigInt(span.startTimeUnixNano);
    const end = BigInt(span.endTimeUnixNano);
    if (start < startNs) startNs = start;
    if (end > endNs) endNs = end;
    const parent =
      span.parentSpanId !== null && ids.has(span.parentSpanId) && span.parentSpanId !== span.spanId
        ? span.parentSpanId
        : null;
    const list = children.get(parent) ?? [];
    list.push(span);
    children.set(parent, list);
  }
  for (const list of children.values()) list.sort(byStart);
  const total = endNs - startNs;
  const pct = (ns: bigint) => (total === 0n ? 0 : (Number(ns) / Number(total)) * 100);

  const rowOf = (span: Span, depth: number, childCount: number): WaterfallRow => {
    const start = BigInt(span.startTimeUnixNano);
    const end = BigInt(span.endTimeUnixNano);
    const length = end > start ? end - start : 0n;
    const durationMs = Number(length) / 1e6;
    const ttftMs = timeToFirstTokenMs(span);
    const offsetPct = pct(start - startNs);
    const widthPct = pct(length);
    const ttftPct =
      ttftMs === null || durationMs === 0
        ? null
        : offsetPct + widthPct * Math.min(1, ttftMs / durationMs);
    return { span, depth, offsetPct, widthPct, durationMs, childCount, ttftMs, ttftPct };
  };

  const rows: WaterfallRow[] = [];
  const visited = new Set<string>();
  // Iterative depth-first walk: a 5,000-span chain must not overflow the call stack.
  const stack: { span: Span; depth: number }[] = (children.get(null) ?? [])
    .map((span) => ({ span, depth: 0 }))
    .reverse();
  while (stack.length > 0) {
    const next = stack.pop();
    if (next === undefined || visited.has(next.span.spanId)) continue;
    const { span, depth } = next;
    visited.add(span.spanId);
    const kids = children.get(span.spanId) ?? [];
    rows.push(rowOf(span, depth, kids.length));
    for (let i = kids.length - 1; i >= 0; i--) {
      const kid = kids[i];
      if (kid !== undefined) stack.push({ span: kid, depth: depth + 1 });
    }
  }
  // A parent cycle (a ↔ b) has no root: show those spans at the top level rather than drop them.
  for (const span of [...spans].sort(byStart)) {
    if (visited.has(span.spanId)) continue;
    visited.add(span.spanId);
    rows.push(rowOf(span, 0, 0));
  }
  return { startNs, endNs, durationMs: Number(total) / 1e6, rows };
}

/** The rows to show when the spans in `collapsed` have their subtrees folded away. */
export function visibleRows(
  rows: readonly WaterfallRow[],
  collapsed: ReadonlySet<string>,
): WaterfallRow[] {
  const shown: WaterfallRow[] = [];
  let hideDeeperThan = Number.POSITIVE_INFINITY;
  for (const row of rows) {
    if (row.depth > hideDeeperThan) continue;
    hideDeeperThan = Number.POSITIVE_INFINITY;
    shown.push(row);
    if (collapsed.has(row.span.spanId) && row.childCount > 0) hideDeeperThan = row.depth;
  }
  return shown;
}
