/** What a span is, read from its attributes (OTel GenAI semconv names). */
import type { Span } from '../api/types.ts';

/** How the waterfall tells spans apart. */
export type SpanCategory = 'genai' | 'tool' | 'gateway' | 'app';

/** A tool execution: semconv `execute_tool`, or a to11 `tool_call …` span. */
export function isToolSpan(span: Span): boolean {
  return (
    span.attributes['gen_ai.operation.name'] === 'execute_tool' || span.name.startsWith('tool_call')
  );
}

/** A model call (chat, embeddings, …): it has a GenAI operation that is not a tool run. */
export function isGenAiSpan(span: Span): boolean {
  const operation = span.attributes['gen_ai.operation.name'];
  return typeof operation === 'string' && operation !== 'execute_tool' && !isToolSpan(span);
}

/** GenAI call, tool run, another gateway span (its HTTP span) or a span of the user's app. */
export function spanCategory(span: Span): SpanCategory {
  if (isToolSpan(span)) return 'tool';
  if (isGenAiSpan(span)) return 'genai';
  return span.source === 'gateway' ? 'gateway' : 'app';
}
