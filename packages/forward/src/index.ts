export type { DestinationStats, DropReason } from './destination.ts';
export {
  type ExportMetricFamily,
  exportMetricFamilies,
  renderExportMetrics,
} from './export-metrics.ts';
export { forwardingWriter } from './forwarding-writer.ts';
export { ResourceCache, toReadableSpan } from './readable-span.ts';
export { ReloadableForwarder, type ReloadableForwarderOptions } from './reloadable-forwarder.ts';
export {
  createSpanForwarder,
  endpointLabel,
  type ForwarderOptions,
  type SpanForwarder,
} from './span-forwarder.ts';
