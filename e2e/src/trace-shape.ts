/**
 * Reading a trace's tree in assertions: children of a span, and the `traceparent` the gateway
 * sends upstream for a GenAI span (SPEC §5 "Upstream").
 */
import type { ReadSpan, ReadTrace } from './to11-api.ts';

/** The spans whose parent is `spanId`, in start order. */
export function childrenOf(trace: ReadTrace, spanId: string | null): ReadSpan[] {
  return trace.spans.filter((span) => span.parentSpanId === spanId);
}

/** The one child of `spanId`; throws (with the tree) when there is not exactly one. */
export function onlyChildOf(trace: ReadTrace, spanId: string | null): ReadSpan {
  const children = childrenOf(trace, spanId);
  const [child] = children;
  if (children.length !== 1 || child === undefined) {
    throw new Error(
      `expected one child of ${spanId}, found ${children.length}:\n${outline(trace)}`,
    );
  }
  return child;
}

/** The header a provider receives for a call made under `genAiSpan` (sampled). */
export function upstreamTraceparent(traceId: string, genAiSpan: ReadSpan): string {
  return `00-${traceId}-${genAiSpan.spanId}-01`;
}

/** `traceparent` → its trace id and parent id; throws on anything but version 00. */
export function parseTraceparent(header: string | null): { traceId: string; spanId: string } {
  const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/.exec(header ?? '');
  if (match?.[1] === undefined || match[2] === undefined) {
    throw new Error(`not a version-00 traceparent: ${header}`);
  }
  return { traceId: match[1], spanId: match[2] };
}

/** The tree as indented `name [kind, source]` lines, for failure messages. */
export function outline(trace: ReadTrace): string {
  const lines: string[] = [];
  const ids = new Set(trace.spans.map((span) => span.spanId));
  const walk = (parent: string | null, depth: number) => {
    for (const span of childrenOf(trace, parent)) {
      lines.push(`${'  '.repeat(depth)}${span.name} [${span.kind}, ${span.source}] ${span.spanId}`);
      walk(span.spanId, depth + 1);
    }
  };
  walk(null, 0);
  for (const span of trace.spans) {
    if (span.parentSpanId !== null && !ids.has(span.parentSpanId)) {
      lines.push(`(orphan of ${span.parentSpanId}) ${span.name} [${span.kind}, ${span.source}]`);
    }
  }
  return lines.join('\n');
}
