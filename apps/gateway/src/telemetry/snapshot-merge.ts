/**
 * Sums the metric snapshots of the processes of a gateway cluster, so that a scrape of any
 * worker shows the totals of all of them (see `cluster/primary.ts`).
 */
import {
  type CounterSeriesSnapshot,
  type HistogramSeriesSnapshot,
  type Labels,
  type MetricSnapshot,
  seriesKey,
} from './prometheus.ts';

/**
 * Sums the snapshots of several processes that run the same registry: counters, gauges and
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
        into.value += metric.value;
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
