import { describe, expect, it } from 'vitest';
import type { Dashboard } from '../api/types.ts';
import { bucketStarts, CHARTS, chartData } from './dashboard-series.ts';

const point = (startUnixMs: number, calls: number, latency: number | null) => ({
  startUnixMs,
  calls,
  errors: 0,
  inputTokens: calls * 10,
  outputTokens: calls * 2,
  cost: null,
  latencyP50Ms: latency,
  latencyP95Ms: latency === null ? null : latency * 2,
  ttftP50Ms: null,
  ttftP95Ms: null,
});

const board: Dashboard = {
  bucketSeconds: 60,
  totals: { calls: 3, errors: 0, inputTokens: 30, outputTokens: 6, cost: null },
  series: [
    { key: 'gpt-4o-mini', points: [point(60_000, 2, 100)] },
    { key: 'claude-x', points: [point(180_000, 1, 300)] },
  ],
  topModelsByCost: [],
};

const chart = (id: string) => {
  const spec = CHARTS.find((c) => c.id === id);
  if (spec === undefined) throw new Error(id);
  return spec;
};

describe('dashboard series', () => {
  it('lists every bucket of the range, aligned to the bucket width', () => {
    expect(bucketStarts(70_000, 200_000, 60)).toEqual([60_000, 120_000, 180_000]);
    expect(bucketStarts(60_000, 60_000, 60)).toEqual([60_000]);
  });

  it('fills empty buckets of a count with 0, one line per model', () => {
    const data = chartData(board, chart('calls'), 70_000, 200_000);
    expect(data.x).toEqual([60, 120, 180]);
    expect(data.lines).toEqual([
      { label: 'gpt-4o-mini', colorIndex: 0, dashed: false, values: [2, 0, 0] },
      { label: 'claude-x', colorIndex: 1, dashed: false, values: [0, 0, 1] },
    ]);
    expect(chartData(board, chart('input-tokens'), 70_000, 200_000).lines[0]?.values).toEqual([
      20, 0, 0,
    ]);
    expect(chartData(board, chart('cost'), 70_000, 200_000).lines[0]?.values).toEqual([0, 0, 0]);
  });

  it('draws p50 solid and p95 dashed, with gaps where no call was made', () => {
    const data = chartData(board, chart('latency'), 70_000, 200_000);
    expect(data.lines).toEqual([
      { label: 'gpt-4o-mini p50', colorIndex: 0, dashed: false, values: [100, null, null] },
      { label: 'gpt-4o-mini p95', colorIndex: 0, dashed: true, values: [200, null, null] },
      { label: 'claude-x p50', colorIndex: 1, dashed: false, values: [null, null, 300] },
      { label: 'claude-x p95', colorIndex: 1, dashed: true, values: [null, null, 600] },
    ]);
  });

  it('leaves out points outside the range', () => {
    const data = chartData(board, chart('calls'), 185_000, 200_000);
    expect(data.lines.map((line) => line.values)).toEqual([[0], [1]]);
  });
});
