import { describe, expect, it } from 'vitest';
import { spanCategory } from './span-kind.ts';
import { testSpan } from './test-spans.ts';
import { traceTotals } from './trace-totals.ts';

const usage = (input: number, output: number, cost?: number) => ({
  'gen_ai.operation.name': 'chat',
  'gen_ai.usage.input_tokens': input,
  'gen_ai.usage.output_tokens': output,
  ...(cost === undefined ? {} : { 'gen_ai.usage.cost': cost }),
});

describe('traceTotals', () => {
  it('counts a call that an SDK span and the gateway span both describe once, through the innermost', () => {
    const spans = [
      testSpan('app', null, 0, 100, { status: { code: 'OK' } }),
      testSpan('sdk', 'app', 5, 95, { attributes: usage(99, 99, 9) }),
      testSpan('http', 'sdk', 10, 90, { source: 'gateway', kind: 'SERVER' }),
      testSpan('genai', 'http', 12, 88, { source: 'gateway', attributes: usage(10, 4, 0.5) }),
      testSpan('genai2', 'app', 90, 99, { source: 'gateway', attributes: usage(1, '2' as never) }),
      testSpan('tool_call weather', 'app', 96, 98, {
        attributes: { 'gen_ai.operation.name': 'execute_tool' },
        status: { code: 'ERROR', message: 'boom' },
      }),
    ];
    expect(traceTotals(spans)).toEqual({
      status: 'error',
      spanCount: 6,
      durationMs: 100,
      inputTokens: 11,
      outputTokens: 6,
      cost: 0.5,
      llmCalls: 2,
      toolCalls: 1,
    });
    expect(spans.map(spanCategory)).toEqual(['app', 'genai', 'gateway', 'genai', 'genai', 'tool']);
  });

  it('has no cost and zero tokens for a trace without GenAI spans', () => {
    const totals = traceTotals([testSpan('job', null, 0, 3)]);
    expect([totals.cost, totals.inputTokens, totals.llmCalls, totals.status]).toEqual([
      null,
      0,
      0,
      'unset',
    ]);
  });
});
