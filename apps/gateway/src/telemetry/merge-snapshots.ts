/**
 * The metric totals of a gateway run as several worker processes: each worker's registry
 * snapshots are summed before rendering (see `prometheus.ts`).
 */
import {
  type CounterSeriesSnapshot,
  type HistogramSeriesSnapshot,
  type Labels,
  type MetricSnapshot,
  seriesKey,
} from './prometheus.ts';

/**
 * Sums the snapshots of several processes that run the same registry: counters, gauges (the
 * largest value for a `max` gauge) and
 * histogram buckets add up series by series (same name and labels). Metrics keep the order of
 * their first appearance. A metric whose type or bucket bounds differ from the first one seen
 * under its name is left out of the sum rather than added wrongly.
 */
export function mergeSnapshots(
  processes: readonly (readonly MetricSnapshot[])[],
): MetricSnapshot[] {
  const merged = new Map<string, MetricSnapshot>();
  /** Series of each merged metric by series key. */
  const index = new Map<string, Map<string, CounterSeriesSnapshot | HistogramSeriesSnapshot>>();
  const seriesOf = (into: MetricSnapshot & { series: unknown[] }) => {
    let byKey = index.get(into.name);
    if (!byKey) {
      const series = into.series as (CounterSeriesSnapshot | HistogramSeriesSnapshot)[];
      byKey = new Map(series.map((one) => [seriesKey(one.labels), one]));
      index.set(into.name, byKey);
    }
    return byKey;
  };
  for (const metrics of processes) {
    for (const metric of metrics) {
      const into = merged.get(metric.name);
      if (!into) {
        merged.set(metric.name, structuredClone(metric));
      } else if (into.type === 'gauge' && metric.type === 'gauge') {
        into.value =
          into.merge === 'max' ? Math.max(into.value, metric.value) : into.value + metric.value;
      } else if (into.type === 'counter' && metric.type === 'counter') {
        const byKey = seriesOf(into);
        for (const { labels, value } of metric.series) {
          const same = byKey.get(seriesKey(labels)) as CounterSeriesSnapshot | undefined;
          if (same) same.value += value;
          else addSeries(into.series, byKey, { labels, value });
        }
      } else if (
        into.type === 'histogram' &&
        metric.type === 'histogram' &&
        into.buckets.join() === metric.buckets.join()
      ) {
        const byKey = seriesOf(into);
        for (const series of metric.series) {
          const same = byKey.get(seriesKey(series.labels)) as HistogramSeriesSnapshot | undefined;
          if (!same) {
            addSeries(into.series, byKey, { ...series, counts: [...series.counts] });
            continue;
          }
          series.counts.forEach((count, i) => {
            same.counts[i] = (same.counts[i] ?? 0) + count;
          });
          same.sum += series.sum;
          same.count += series.count;
        }
      }
    }
  }
  return [...merged.values()];
}

function addSeries<T extends { labels: Labels }>(
  list: T[],
  byKey: Map<string, CounterSeriesSnapshot | HistogramSeriesSnapshot>,
  series: T & (CounterSeriesSnapshot | HistogramSeriesSnapshot),
): void {
  list.push(series);
  byKey.set(seriesKey(series.labels), series);
}
