/**
 * A minimal Prometheus text exposition (format 0.0.4): counters, gauges and histograms with
 * labels. Small on purpose: the gateway needs a dozen series and no client library.
 *
 * Every metric reads out as a plain-data {@link MetricSnapshot}, which is what gets rendered.
 * With several gateway worker processes, the snapshots of all workers travel over IPC and are
 * summed by `mergeSnapshots` (`merge-snapshots.ts`) before rendering, so a scrape of any worker shows totals.
 */

/** Label name → value; an absent label is simply not in the record. */
export type Labels = Readonly<Record<string, string>>;

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labelText(labels: Labels, extra?: string): string {
  const parts = Object.keys(labels)
    .sort()
    .map((key) => `${key}="${escapeLabel(labels[key] ?? '')}"`);
  if (extra) parts.push(extra);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

/** Series identity; callers build label records in a fixed key order, so no sort is needed. */
export function seriesKey(labels: Labels): string {
  let key = '';
  for (const name in labels) key += `${name}\u0000${labels[name]}\u0001`;
  return key;
}

function formatNumber(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  return Number.isFinite(value) ? String(value) : 'NaN';
}

/** One counter series as plain data. */
export interface CounterSeriesSnapshot {
  labels: Labels;
  value: number;
}

/** One histogram series as plain data: per-bucket (not cumulative) counts, sum, count. */
export interface HistogramSeriesSnapshot {
  labels: Labels;
  counts: number[];
  sum: number;
  count: number;
}

/** A metric's current state as plain data (structured-clone and JSON safe). */
export type MetricSnapshot =
  | { type: 'counter'; name: string; help: string; series: CounterSeriesSnapshot[] }
  | {
      type: 'gauge';
      name: string;
      help: string;
      value: number;
      /** How processes combine (`sum` unless said): `max` for a generation number. */
      merge?: 'sum' | 'max';
    }
  | {
      type: 'histogram';
      name: string;
      help: string;
      buckets: number[];
      series: HistogramSeriesSnapshot[];
    };

/** Anything that reads out as a snapshot. */
export interface Metric {
  snapshot(): MetricSnapshot;
}

/** A monotonically increasing counter. */
export class Counter implements Metric {
  readonly #series = new Map<string, { labels: Labels; value: number }>();

  /** `name` should end in `_total`. */
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  /** Adds `by` (default 1) to the series of `labels`. */
  inc(labels: Labels = {}, by = 1): void {
    const key = seriesKey(labels);
    const series = this.#series.get(key);
    if (series) series.value += by;
    else this.#series.set(key, { labels, value: by });
  }

  /**
   * The series of `labels` as a function that adds one, for callers that count the same labels
   * again and again. The series appears in the exposition at its first increment.
   */
  cell(labels: Labels, key = seriesKey(labels)): () => void {
    let series: { labels: Labels; value: number } | undefined;
    return () => {
      if (!series) {
        series = this.#series.get(key) ?? { labels, value: 0 };
        this.#series.set(key, series);
      }
      series.value += 1;
    };
  }

  /** The current value of one series (0 when never incremented). */
  value(labels: Labels = {}): number {
    return this.#series.get(seriesKey(labels))?.value ?? 0;
  }

  snapshot(): MetricSnapshot {
    const series = [...this.#series.values()].map(({ labels, value }) => ({ labels, value }));
    return { type: 'counter', name: this.name, help: this.help, series };
  }

  /** This counter as exposition text. */
  render(): string {
    return renderSnapshot(this.snapshot());
  }
}

/** A gauge whose value is read when scraped. */
export class Gauge implements Metric {
  /** `read` is called on every scrape; `merge` says how processes combine (default sum). */
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly read: () => number,
    private readonly merge: 'sum' | 'max' = 'sum',
  ) {}

  snapshot(): MetricSnapshot {
    const snapshot: MetricSnapshot = {
      type: 'gauge',
      name: this.name,
      help: this.help,
      value: this.read(),
    };
    if (this.merge === 'max') snapshot.merge = 'max';
    return snapshot;
  }
}

interface HistogramSeries {
  labels: Labels;
  counts: number[];
  sum: number;
  count: number;
}

/** A histogram with fixed upper bounds (cumulative buckets on output). */
export class Histogram implements Metric {
  readonly #series = new Map<string, HistogramSeries>();

  /** `buckets` are ascending upper bounds; `+Inf` is implicit. */
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
  ) {}

  /** Records one observation. */
  observe(labels: Labels, value: number): void {
    if (!Number.isFinite(value)) return;
    this.#record(this.#seriesOf(labels, seriesKey(labels)), value);
  }

  /**
   * The series of `labels` as a function that records one observation, for callers that
   * observe the same labels again and again (no key built per observation). The series
   * appears in the exposition at its first observation, as with {@link observe}.
   */
  cell(labels: Labels, key = seriesKey(labels)): (value: number) => void {
    let series: HistogramSeries | undefined;
    return (value) => {
      if (!Number.isFinite(value)) return;
      series ??= this.#seriesOf(labels, key);
      this.#record(series, value);
    };
  }

  #seriesOf(labels: Labels, key: string): HistogramSeries {
    let series = this.#series.get(key);
    if (!series) {
      series = { labels, counts: new Array(this.buckets.length).fill(0), sum: 0, count: 0 };
      this.#series.set(key, series);
    }
    return series;
  }

  #record(series: HistogramSeries, value: number): void {
    const { buckets } = this;
    for (let index = 0; index < buckets.length; index++) {
      if (value <= (buckets[index] ?? Number.POSITIVE_INFINITY)) {
        series.counts[index] = (series.counts[index] ?? 0) + 1;
        break;
      }
    }
    series.sum += value;
    series.count += 1;
  }

  snapshot(): MetricSnapshot {
    const series = [...this.#series.values()].map(({ labels, counts, sum, count }) => ({
      labels,
      counts: [...counts],
      sum,
      count,
    }));
    return {
      type: 'histogram',
      name: this.name,
      help: this.help,
      buckets: [...this.buckets],
      series,
    };
  }

  /** This histogram as exposition text. */
  render(): string {
    return renderSnapshot(this.snapshot());
  }
}

/** One metric's exposition text (no trailing newline). */
export function renderSnapshot(metric: MetricSnapshot): string {
  const { name } = metric;
  const lines = [`# HELP ${name} ${metric.help}`, `# TYPE ${name} ${metric.type}`];
  if (metric.type === 'gauge') {
    lines.push(`${name} ${formatNumber(metric.value)}`);
  } else if (metric.type === 'counter') {
    if (metric.series.length === 0) lines.push(`${name} 0`);
    for (const { labels, value } of metric.series) {
      lines.push(`${name}${labelText(labels)} ${formatNumber(value)}`);
    }
  } else {
    for (const series of metric.series) {
      let cumulative = 0;
      metric.buckets.forEach((bound, i) => {
        cumulative += series.counts[i] ?? 0;
        const le = `le="${formatNumber(bound)}"`;
        lines.push(`${name}_bucket${labelText(series.labels, le)} ${cumulative}`);
      });
      lines.push(`${name}_bucket${labelText(series.labels, 'le="+Inf"')} ${series.count}`);
      lines.push(`${name}_sum${labelText(series.labels)} ${formatNumber(series.sum)}`);
      lines.push(`${name}_count${labelText(series.labels)} ${series.count}`);
    }
  }
  return lines.join('\n');
}

/** Renders snapshots (or live metrics) as one exposition document. */
export function renderMetrics(metrics: readonly (Metric | MetricSnapshot)[]): string {
  const text = metrics.map((m) => renderSnapshot('snapshot' in m ? m.snapshot() : m));
  return `${text.join('\n')}\n`;
}
