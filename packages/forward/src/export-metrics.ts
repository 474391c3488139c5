/**
 * The `to11_export_*` series of a forwarder (SPEC §9 metric naming), as plain families that the
 * gateway folds into its registry and the collector renders on its own `/metrics`.
 */
import type { DestinationStats, DropReason } from './destination.ts';

/** One counter or gauge family. */
export interface ExportMetricFamily {
  type: 'counter' | 'gauge';
  name: string;
  help: string;
  series: { labels: Record<string, string>; value: number }[];
}

const REASONS: DropReason[] = ['queue_full', 'export_failed', 'shutdown'];

/** The families of `stats` (the queue gauge sums every endpoint). */
export function exportMetricFamilies(stats: readonly DestinationStats[]): ExportMetricFamily[] {
  return [
    {
      type: 'gauge',
      name: 'to11_export_queue_size',
      help: 'Spans waiting to be forwarded to the configured OTLP endpoints.',
      series: [{ labels: {}, value: stats.reduce((sum, s) => sum + s.queuedSpans, 0) }],
    },
    {
      type: 'counter',
      name: 'to11_export_spans_total',
      help: 'Spans forwarded and acknowledged, by endpoint.',
      series: stats.map((s) => ({ labels: { endpoint: s.endpoint }, value: s.exportedSpans })),
    },
    {
      type: 'counter',
      name: 'to11_export_spans_dropped_total',
      help: 'Spans not forwarded (queue full, export failed after retries, shutdown), by endpoint and reason.',
      series: stats.flatMap((s) =>
        REASONS.map((reason) => ({
          labels: { endpoint: s.endpoint, reason },
          value: s.droppedSpans[reason],
        })),
      ),
    },
  ];
}

function labelText(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(
    ([key, value]) => `${key}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`,
  );
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

/** `families` in the Prometheus text format (0.0.4). */
export function renderExportMetrics(families: readonly ExportMetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`);
    for (const series of family.series) {
      lines.push(`${family.name}${labelText(series.labels)} ${series.value}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
