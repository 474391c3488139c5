/**
 * A session as one conversation: its traces' LLM calls in time order, each a turn. A chat app
 * resends the whole history on every call, so a turn's captured input usually starts with the
 * previous turn's input and answer; the timeline shows only what is new in each turn (the user's
 * next message, a changed system prompt) and says how many earlier messages it left out.
 */
import { innermostSpans } from '@to11/trace-core/counted-usage';
import type { Span, Trace } from '../api/types.ts';
import { type GenAiMessage, spanMessages } from '../conversation/messages.ts';
import { isGenAiSpan } from '../waterfall/span-kind.ts';

/** One LLM call of the session. */
export interface SessionTurn {
  traceId: string;
  spanId: string;
  startTimeUnixNano: string;
  model: string | null;
  /** Input messages already shown by the turns before (left out of `input`). */
  repeated: number;
  /** The input messages this turn adds. */
  input: GenAiMessage[];
  output: GenAiMessage[];
}

/** A trace of the session without a captured LLM call (an app span, a tool run). */
export interface SessionTraceWithoutCall {
  traceId: string;
  startTimeUnixNano: string;
  rootName: string | null;
}

/** The timeline: turns, and the traces that had none, each in start order. */
export interface SessionTimeline {
  turns: SessionTurn[];
  withoutCalls: SessionTraceWithoutCall[];
}

/** What a message says (role and parts), not how it was captured (finish reason). */
function messageKey(message: GenAiMessage): string {
  return JSON.stringify([message.role, message.parts]);
}

function stringAttribute(span: Span, key: string): string | null {
  const value = span.attributes[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

function compareStart(a: { startTimeUnixNano: string }, b: { startTimeUnixNano: string }) {
  const diff = BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

/** How many leading messages of `input` repeat `history` in order. */
function repeatedPrefix(input: readonly string[], history: readonly string[]): number {
  let count = 0;
  while (count < input.length && count < history.length && input[count] === history[count]) {
    count++;
  }
  return count;
}

/** The session's traces (full spans) as one timeline of turns. */
export function sessionTimeline(traces: readonly Trace[]): SessionTimeline {
  const calls: { traceId: string; span: Span }[] = [];
  const withoutCalls: SessionTraceWithoutCall[] = [];
  for (const trace of traces) {
    // The innermost GenAI span is the call itself; a library's wrapper span above it repeats it.
    const spans = innermostSpans(trace.spans, isGenAiSpan);
    for (const span of spans) calls.push({ traceId: trace.traceId, span });
    if (spans.length === 0) {
      const root =
        trace.spans.find((span) => span.parentSpanId === null) ??
        [...trace.spans].sort(compareStart)[0];
      if (root === undefined) continue;
      withoutCalls.push({
        traceId: trace.traceId,
        startTimeUnixNano: root.startTimeUnixNano,
        rootName: root.name,
      });
    }
  }
  calls.sort((a, b) => compareStart(a.span, b.span));
  withoutCalls.sort(compareStart);
  let history: string[] = [];
  const turns = calls.map(({ traceId, span }): SessionTurn => {
    const messages = spanMessages(span);
    const input = [...messages.system, ...messages.input];
    const output = messages.output;
    const inputKeys = input.map(messageKey);
    const repeated = repeatedPrefix(inputKeys, history);
    history = [...inputKeys, ...output.map(messageKey)];
    return {
      traceId,
      spanId: span.spanId,
      startTimeUnixNano: span.startTimeUnixNano,
      model:
        stringAttribute(span, 'gen_ai.response.model') ??
        stringAttribute(span, 'gen_ai.request.model'),
      repeated,
      input: input.slice(repeated),
      output,
    };
  });
  return { turns, withoutCalls };
}
