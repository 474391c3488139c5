/**
 * One uPlot time chart of the dashboard. uPlot draws on a canvas, so its colours come from the
 * page's CSS variables when the chart is made, and it is made again when the system switches
 * between light and dark; its width follows its container (a ResizeObserver).
 */
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatCost, formatDuration, formatTokens } from '../ui/format.ts';
import type { ChartData, ChartSpec } from './dashboard-series.ts';

/** Line colours by model/provider index; readable on the light and the dark background. */
const PALETTE = ['#4c6ef5', '#f76707', '#12b886', '#e64980', '#fab005', '#7950f2', '#15aabf'];
const HEIGHT = 200;

function formatValue(unit: ChartSpec['unit'], value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  switch (unit) {
    case 'usd':
      return formatCost(value);
    case 'ms':
      return formatDuration(value);
    case 'tokens':
    case 'count':
      return formatTokens(Math.round(value * 100) / 100);
  }
}

function cssVariable(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** Re-renders when the system colour scheme changes. */
function useColorScheme(): 'light' | 'dark' {
  const query = '(prefers-color-scheme: dark)';
  const [scheme, setScheme] = useState(() => (matchMedia(query).matches ? 'dark' : 'light'));
  useEffect(() => {
    const media = matchMedia(query);
    const onChange = () => setScheme(media.matches ? 'dark' : 'light');
    media.addEventListener('change', onChange);
    return () => media.removeEventListener('change', onChange);
  }, []);
  return scheme as 'light' | 'dark';
}

function chartOptions(spec: ChartSpec, data: ChartData, width: number): uPlot.Options {
  const fg = cssVariable('--muted');
  const grid = { stroke: cssVariable('--line'), width: 1 };
  const first = data.x[0] ?? 0;
  const last = data.x.at(-1) ?? first;
  return {
    width,
    height: HEIGHT,
    // The whole range stays on the axis, even when calls fell in one bucket.
    scales: { x: { time: true, range: () => [first, Math.max(last, first + 1)] } },
    axes: [
      { stroke: fg, grid, ticks: grid },
      {
        stroke: fg,
        grid,
        ticks: grid,
        // Dollar ticks of fractions of a cent are the widest labels.
        size: spec.unit === 'usd' ? 84 : 64,
        values: (_chart, ticks) => ticks.map((tick) => formatValue(spec.unit, tick)),
      },
    ],
    series: [
      {},
      ...data.lines.map(
        (line): uPlot.Series => ({
          label: line.label,
          stroke: PALETTE[line.colorIndex % PALETTE.length],
          width: 2,
          ...(line.dashed ? { dash: [6, 4] } : {}),
          spanGaps: false,
          points: { show: true, size: 5 },
          value: (_chart, value) => formatValue(spec.unit, value),
        }),
      ),
    ],
  };
}

/** A titled uPlot chart of `data`. */
export function TimeChart({ spec, data }: { spec: ChartSpec; data: ChartData }) {
  const container = useRef<HTMLDivElement>(null);
  const scheme = useColorScheme();
  useEffect(() => {
    const element = container.current;
    if (element === null) return;
    // uPlot's default scheme is colourless: the scheme dependency makes it rebuild with the
    // colours of the current one.
    void scheme;
    const plot = new uPlot(
      chartOptions(spec, data, Math.max(element.clientWidth, 200)),
      [data.x, ...data.lines.map((line) => line.values)],
      element,
    );
    const observer = new ResizeObserver(() => {
      plot.setSize({ width: Math.max(element.clientWidth, 200), height: HEIGHT });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [spec, data, scheme]);
  return (
    <figure className="chart" data-testid="dashboard-chart" data-chart={spec.id}>
      <figcaption>{spec.title}</figcaption>
      <div ref={container} className="chart-canvas" />
    </figure>
  );
}
