import { describe, expect, it } from 'vitest';
import { testSpan } from '../waterfall/test-spans.ts';
import { compareFacts, relativeChange } from './compare-facts.ts';

const chat = (model: string, answer: string, tokens: number) => ({
  'gen_ai.operation.name': 'chat',
  'gen_ai.request.model': model,
  'gen_ai.usage.input_tokens': tokens,
  'gen_ai.usage.output_tokens': 1,
  'gen_ai.output.messages': JSON.stringify([
    { role: 'assistant', parts: [{ type: 'text', content: answer }] },
  ]),
});

describe('compareFacts', () => {
  it('gives the models, the totals and the answer of the GenAI span that ended last', () => {
    const facts = compareFacts([
      testSpan('root', null, 0, 100),
      testSpan('first', 'root', 10, 40, { attributes: chat('gpt-4o-mini', 'draft', 5) }),
      testSpan('second', 'root', 50, 90, { attributes: chat('claude-haiku', 'final', 7) }),
    ]);
    expect(facts.models).toEqual(['claude-haiku', 'gpt-4o-mini']);
    expect(facts.totals).toMatchObject({ llmCalls: 2, inputTokens: 12, outputTokens: 2 });
    expect(facts.output).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'final' }] },
    ]);
  });

  it('has no output for a trace without captured answers', () => {
    expect(compareFacts([testSpan('root', null, 0, 1)])).toMatchObject({ models: [], output: [] });
  });
});

describe('relativeChange', () => {
  it('says how b differs from a, and nothing when a is zero or unknown', () => {
    expect(relativeChange(100, 150)).toBe('+50%');
    expect(relativeChange(100, 60)).toBe('-40%');
    expect(relativeChange(5, 5)).toBe('±0%');
    expect(relativeChange(0, 5)).toBe('');
    expect(relativeChange(null, 5)).toBe('');
  });
});
