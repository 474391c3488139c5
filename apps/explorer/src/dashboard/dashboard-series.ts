/**
 * The dashboard's answer (`GET /api/v1/dashboard`) shaped for uPlot: one x axis with every
 * bucket of the range (seconds, as uPlot wants), and per chart one line per model or provider.
 * The API leaves empty buckets out: for counts (calls, errors, tokens, cost) an empty bucket is
 * a 0; for percentiles it is a gap (null), since no call means no latency.
 */
import type { Dashboard } from '../api/types.ts';

type Point = Dashboard['series'][number]['points'][number];

/** A chart of the dashboard. */
export interface ChartSpec {
  id: string;
  title: string;
  unit: 'count' | 'tokens' | 'usd' | 'ms';
  /** Per line: which figure of a bucket, and the label suffix (`p95`), dashed when `dashed`. */
  figures: Array<{ pick: (point: Point) => number | null; suffix: string; dashed: boolean }>;
  /** An empty bucket reads 0 (a count) rather than a gap (a percentile). */
  zeroWhenEmpty: boolean;
}

/** The charts, in page order. */
export const CHARTS: readonly ChartSpec[] = [
  count('calls', 'Calls', 'count', (p) => p.calls),
  count('errors', 'Errors', 'count', (p) => p.errors),
  count('input-tokens', 'Input tokens', 'tokens', (p) => p.inputTokens),
  count('output-tokens', 'Output tokens', 'tokens', (p) => p.outputTokens),
  count('cost', 'Cost (USD)', 'usd', (p) => p.cost ?? 0),
  percentiles('latency', 'Latency p50 / p95', (p) => [p.latencyP50Ms, p.latencyP95Ms]),
  percentiles('ttft', 'Time to first token p50 / p95', (p) => [p.ttftP50Ms, p.ttftP95Ms]),
];

function count(
  id: string,
  title: string,
  unit: ChartSpec['unit'],
  pick: (point: Point) => number,
): ChartSpec {
  return { id, title, unit, figures: [{ pick, suffix: '', dashed: false }], zeroWhenEmpty: true };
}

function percentiles(
  id: string,
  title: string,
  pick: (point: Point) => [number | null, number | null],
): ChartSpec {
  return {
    id,
    title,
    unit: 'ms',
    figures: [
      { pick: (p) => pick(p)[0], suffix: ' p50', dashed: false },
      { pick: (p) => pick(p)[1], suffix: ' p95', dashed: true },
    ],
    zeroWhenEmpty: false,
  };
}

/** One line of a chart. */
export interface ChartLine {
  label: string;
  /** Index of the line's model or provider, so it keeps its colour across charts. */
  colorIndex: number;
  dashed: boolean;
  values: (number | null)[];
}

/** What one uPlot chart draws. */
export interface ChartData {
  /** Bucket starts, epoch seconds. */
  x: number[];
  lines: ChartLine[];
}

/** Every bucket start (epoch ms) from the bucket holding `sinceMs` to the one holding `untilMs`. */
export function bucketStarts(sinceMs: number, untilMs: number, bucketSeconds: number): number[] {
  const width = bucketSeconds * 1000;
  const starts: number[] = [];
  for (let at = Math.floor(sinceMs / width) * width; at <= untilMs; at += width) starts.push(at);
  return starts;
}

/** The chart's data over the range `sinceMs`..`untilMs`. */
export function chartData(
  dashboard: Dashboard,
  spec: ChartSpec,
  sinceMs: number,
  untilMs: number,
): ChartData {
  const starts = bucketStarts(sinceMs, untilMs, dashboard.bucketSeconds);
  const slot = new Map(starts.map((start, index) => [start, index]));
  const lines: ChartLine[] = [];
  dashboard.series.forEach((series, colorIndex) => {
    for (const figure of spec.figures) {
      const values: (number | null)[] = starts.map(() => (spec.zeroWhenEmpty ? 0 : null));
      for (const point of series.points) {
        const index = slot.get(point.startUnixMs);
        if (index !== undefined) values[index] = figure.pick(point);
      }
      lines.push({
        label: `${series.key}${figure.suffix}`,
        colorIndex,
        dashed: figure.dashed,
        values,
      });
    }
  });
  return { x: starts.map((start) => start / 1000), lines };
}

/** The dashboard has calls to draw. */
export function hasCalls(dashboard: Dashboard): boolean {
  return dashboard.totals.calls > 0;
}
