import { describe, expect, it } from 'vitest';
import type { Span, Trace } from '../api/types.ts';
import { testSpan } from '../waterfall/test-spans.ts';
import { sessionTimeline } from './session-timeline.ts';

const text = (role: string, content: string) => ({ role, parts: [{ type: 'text', content }] });

function chatSpan(id: string, parent: string | null, startMs: number, attributes: object): Span {
  return testSpan(id, parent, startMs, startMs + 50, {
    source: 'gateway',
    attributes: { 'gen_ai.operation.name': 'chat', ...attributes },
  });
}

function trace(traceId: string, spans: Span[]): Trace {
  return { traceId, spans: spans.map((span) => ({ ...span, traceId })) };
}

describe('sessionTimeline', () => {
  it('shows each turn once: the history a call resends is left out and counted', () => {
    const first = trace('t1', [
      chatSpan('a1', null, 1000, {
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: 'Be brief.' }]),
        'gen_ai.input.messages': JSON.stringify([text('user', 'Hi')]),
        'gen_ai.output.messages': JSON.stringify([
          { ...text('assistant', 'Hello!'), finish_reason: 'stop' },
        ]),
      }),
    ]);
    const second = trace('t2', [
      chatSpan('b1', null, 2000, {
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
        'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: 'Be brief.' }]),
        'gen_ai.input.messages': JSON.stringify([
          text('user', 'Hi'),
          text('assistant', 'Hello!'),
          text('user', 'And Paris?'),
        ]),
        'gen_ai.output.messages': JSON.stringify([text('assistant', 'A city.')]),
      }),
    ]);
    const { turns, withoutCalls } = sessionTimeline([second, first]);
    expect(withoutCalls).toEqual([]);
    expect(turns.map((turn) => [turn.traceId, turn.model, turn.repeated])).toEqual([
      ['t1', 'gpt-4o-mini', 0],
      ['t2', 'gpt-4o-mini-2024-07-18', 3],
    ]);
    expect(turns[0]?.input.map((m) => m.role)).toEqual(['system', 'user']);
    expect(turns[1]?.input).toEqual([text('user', 'And Paris?')]);
    expect(turns[1]?.output).toEqual([text('assistant', 'A city.')]);
  });

  it('shows the whole input again when the history changed', () => {
    const spans = (id: string, startMs: number, messages: object[]) =>
      trace(id, [chatSpan(`${id}s`, null, startMs, { 'gen_ai.input.messages': messages })]);
    const { turns } = sessionTimeline([
      spans('t1', 0, [text('user', 'one')]),
      spans('t2', 10, [text('user', 'two')]),
    ]);
    expect(turns.map((turn) => [turn.repeated, turn.input.length])).toEqual([
      [0, 1],
      [0, 1],
    ]);
  });

  it('counts a call wrapped by a library span once, and lists traces without a call', () => {
    const wrapped = trace('t1', [
      testSpan('root', null, 0, 100, { name: 'agent run' }),
      chatSpan('wrapper', 'root', 5, { 'gen_ai.input.messages': [text('user', 'q')] }),
      chatSpan('inner', 'wrapper', 6, { 'gen_ai.input.messages': [text('user', 'q')] }),
    ]);
    const plain = trace('t0', [testSpan('job', null, -50, -10, { name: 'nightly job' })]);
    const { turns, withoutCalls } = sessionTimeline([wrapped, plain]);
    expect(turns.map((turn) => turn.spanId)).toEqual(['inner']);
    expect(withoutCalls).toEqual([
      { traceId: 't0', startTimeUnixNano: '-50000000', rootName: 'nightly job' },
    ]);
  });
});
