import { describe, expect, it } from 'vitest';
import { layoutWaterfall, visibleRows } from './layout.ts';
import { testSpan } from './test-spans.ts';

const outline = (rows: { span: { spanId: string }; depth: number }[]) =>
  rows.map((row) => `${'  '.repeat(row.depth)}${row.span.spanId}`);

describe('layoutWaterfall', () => {
  it('nests spans under their parents, children in start order, on the trace time axis', () => {
    const spans = [
      testSpan('genai', 'http', 120, 180),
      testSpan('app', null, 100, 300),
      testSpan('http2', 'app', 200, 300),
      testSpan('http', 'app', 110, 190),
    ];
    const layout = layoutWaterfall(spans);
    expect(outline(layout.rows)).toEqual(['app', '  http', '    genai', '  http2']);
    expect(layout.durationMs).toBe(200);
    const genai = layout.rows[2];
    expect([genai?.offsetPct, genai?.widthPct, genai?.durationMs]).toEqual([10, 30, 60]);
    expect(layout.rows.map((row) => row.childCount)).toEqual([2, 1, 0, 0]);
  });

  it('shows a span whose parent has not arrived as a root, and survives a parent cycle', () => {
    const layout = layoutWaterfall([
      testSpan('late', 'missing', 5, 6),
      testSpan('root', null, 0, 10),
      testSpan('x', 'y', 1, 2),
      testSpan('y', 'x', 2, 3),
    ]);
    expect(outline(layout.rows)).toEqual(['root', 'late', 'x', 'y']);
  });

  it('gives a zero-length trace a zero-width axis instead of dividing by zero', () => {
    const layout = layoutWaterfall([testSpan('only', null, 7, 7)]);
    expect([layout.rows[0]?.offsetPct, layout.rows[0]?.widthPct]).toEqual([0, 0]);
  });

  it('lays out a 5,000-span chain without overflowing the stack', () => {
    const spans = Array.from({ length: 5000 }, (_, i) =>
      testSpan(`s${i}`, i === 0 ? null : `s${i - 1}`, i, i + 1),
    );
    const layout = layoutWaterfall(spans);
    expect(layout.rows).toHaveLength(5000);
    expect(layout.rows.at(-1)?.depth).toBe(4999);
  });
});

describe('time to first token', () => {
  it('places the first token of a GenAI span on the axis, capped at the span end', () => {
    const genai = { 'gen_ai.operation.name': 'chat' };
    const { rows } = layoutWaterfall([
      testSpan('app', null, 0, 200),
      testSpan('chat', 'app', 100, 200, {
        attributes: { ...genai, 'gen_ai.server.time_to_first_token': 0.05 },
      }),
      testSpan('late', 'app', 150, 160, {
        attributes: { ...genai, 'gen_ai.server.time_to_first_token': 1 },
      }),
      testSpan('plain', 'app', 0, 10, { attributes: { 'gen_ai.server.time_to_first_token': 1 } }),
    ]);
    const byId = Object.fromEntries(rows.map((row) => [row.span.spanId, row]));
    expect([byId.chat?.ttftMs, byId.chat?.ttftPct]).toEqual([50, 75]);
    expect(byId.late?.ttftPct).toBe(80);
    expect([byId.plain?.ttftMs, byId.plain?.ttftPct]).toEqual([null, null]);
    expect(byId.app?.ttftPct).toBeNull();
  });
});

describe('visibleRows', () => {
  it('hides the subtree of a collapsed span and nothing else', () => {
    const { rows } = layoutWaterfall([
      testSpan('app', null, 0, 10),
      testSpan('http', 'app', 1, 5),
      testSpan('genai', 'http', 2, 4),
      testSpan('tool', 'genai', 3, 4),
      testSpan('after', 'app', 6, 9),
    ]);
    expect(outline(visibleRows(rows, new Set(['http'])))).toEqual(['app', '  http', '  after']);
    expect(outline(visibleRows(rows, new Set(['app'])))).toEqual(['app']);
    expect(visibleRows(rows, new Set())).toHaveLength(5);
  });
});
