import { countedUsage } from '@to11/trace-core/counted-usage';
import { describe, expect, it } from 'vitest';
import type { SpanView, TraceSummaryView } from './admin-client.ts';
import { formatTraceList, formatTraceTree, spanTree } from './traces-output.ts';

function span(
  spanId: string,
  parentSpanId: string | null,
  startMs: number,
  endMs: number,
  extra: Partial<SpanView> = {},
): SpanView {
  return {
    spanId,
    parentSpanId,
    name: spanId,
    startTimeUnixNano: String(BigInt(startMs) * 1_000_000n),
    endTimeUnixNano: String(BigInt(endMs) * 1_000_000n),
    status: { code: 'UNSET' },
    attributes: {},
    source: 'otlp',
    ...extra,
  };
}

const usage = (input: number, output: number, cost?: number) => ({
  'gen_ai.usage.input_tokens': input,
  'gen_ai.usage.output_tokens': output,
  ...(cost === undefined ? {} : { 'gen_ai.usage.cost': cost }),
});

describe('formatTraceTree', () => {
  const spans = [
    span('chat gpt-4o-mini', 'POST /v1/chat/completions', 20, 300, {
      source: 'gateway',
      attributes: {
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        ...usage(12, 8, 0.00002),
      },
    }),
    span('app', null, 0, 400),
    span('POST /v1/chat/completions', 'wrapper', 10, 310, { source: 'gateway' }),
    span('wrapper', 'app', 5, 320, { attributes: usage(12, 8) }),
    span('tool_call weather', 'app', 330, 340, {
      status: { code: 'ERROR', message: 'timeout' },
    }),
  ].map((s) => ({ ...s, name: s.spanId }));

  it('indents each span under its parent with duration, source, model, tokens, cost and errors', () => {
    expect(formatTraceTree('a'.repeat(32), spans).split('\n')).toEqual([
      `Trace ${'a'.repeat(32)}  1 error  400 ms  5 spans  12 in / 8 out  $0.000020`,
      '',
      'app  400 ms  app',
      '  wrapper  315 ms  app  12 in / 8 out',
      '    POST /v1/chat/completions  300 ms  gateway',
      '      chat gpt-4o-mini  280 ms  gateway  openai/gpt-4o-mini  12 in / 8 out  $0.000020',
      '  tool_call weather  10 ms  app  ERROR: timeout',
    ]);
  });

  it('counts a call once even when a wrapper above it carries the same usage', () => {
    expect(countedUsage(spans)).toEqual({ inputTokens: 12, outputTokens: 8, cost: 0.00002 });
    const twoCalls = [
      span('a', null, 0, 1, { attributes: usage(1, 1) }),
      span('b', null, 0, 1, { attributes: usage(2, 2) }),
    ];
    expect(countedUsage(twoCalls)).toEqual({ inputTokens: 3, outputTokens: 3, cost: null });
  });

  it('shows a span whose parent is missing, and a parent cycle, as roots', () => {
    const rows = spanTree([span('late', 'gone', 5, 6), span('x', 'y', 1, 2), span('y', 'x', 2, 3)]);
    expect(rows.map((row) => [row.span.spanId, row.depth])).toEqual([
      ['late', 0],
      ['x', 0],
      ['y', 0],
    ]);
  });
});

describe('formatTraceList', () => {
  const trace: TraceSummaryView = {
    traceId: 'b'.repeat(32),
    rootName: 'checkout',
    startTimeUnixNano: String(BigInt(Date.parse('2025-01-01T10:00:00Z')) * 1_000_000n),
    durationMs: 1234,
    spanCount: 4,
    status: 'error',
    models: ['gpt-4o-mini'],
    providers: ['openai'],
    inputTokens: 10,
    outputTokens: 5,
    cost: null,
    sessionId: null,
  };

  it('prints one row per trace and the cursor of the next page', () => {
    const lines = formatTraceList([trace], 'next123').split('\n');
    expect(lines[0]).toMatch(
      /^TIME\s+TRACE\s+STATUS\s+DURATION\s+MODEL\s+IN\s+OUT\s+COST\s+SPANS\s+SESSION\s+ROOT$/,
    );
    expect(lines[1]?.split(/\s{2,}/)).toEqual([
      '2025-01-01 10:00:00Z',
      'b'.repeat(32),
      'error',
      '1.23 s',
      'openai/gpt-4o-mini',
      '10',
      '5',
      '-',
      '4',
      '-',
      'checkout',
    ]);
    expect(lines.at(-1)).toBe('More: --cursor next123');
  });

  it('tells an empty result how to widen it', () => {
    expect(formatTraceList([], null)).toBe('No traces match (widen --since or drop a filter).');
  });
});
