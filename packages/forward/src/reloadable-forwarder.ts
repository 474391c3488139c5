/**
 * A forwarder whose endpoints can change while the process runs (the gateway's live reload of
 * `[[export.otlp]]` and `TO11_EXPORT_OTLP_*`). `replace` starts a forwarder for the new settings,
 * hands it every span submitted from then on, and closes the old one in the background: what the
 * old one holds is exported for at most `drainMs`, the rest dropped and counted. The counters of
 * an endpoint survive the swap (Prometheus counters never go down), whether it stays configured
 * or is removed.
 */
import type { ForwardSettings } from '@to11/config';
import type { SpanRecord } from '@to11/trace-core';
import type { DestinationStats } from './destination.ts';
import {
  createSpanForwarder,
  type ForwarderOptions,
  type SpanForwarder,
} from './span-forwarder.ts';

/** What the reloadable forwarder needs besides the settings. */
export type ReloadableForwarderOptions = Omit<ForwarderOptions, keyof ForwardSettings> & {
  /** How long a replaced forwarder may export what it holds. */
  drainMs: number;
};

const NOTHING: ForwardSettings = { targets: [], maxQueuedSpans: 1, maxBatchSpans: 1, timeoutMs: 1 };

/** The sum of two sets of one endpoint's counters. */
function added(total: DestinationStats, more: DestinationStats): DestinationStats {
  const droppedSpans = { ...total.droppedSpans };
  for (const [reason, count] of Object.entries(more.droppedSpans) as [
    keyof DestinationStats['droppedSpans'],
    number,
  ][]) {
    droppedSpans[reason] = (droppedSpans[reason] ?? 0) + count;
  }
  return {
    endpoint: total.endpoint,
    queuedSpans: total.queuedSpans + more.queuedSpans,
    exportedSpans: total.exportedSpans + more.exportedSpans,
    droppedSpans,
  };
}

export class ReloadableForwarder implements SpanForwarder {
  readonly #options: ReloadableForwarderOptions;
  #settings: string;
  #current: SpanForwarder;
  /** Forwarders replaced and still exporting what they held. */
  readonly #draining = new Set<SpanForwarder>();
  /** Final counters of replaced forwarders, by endpoint. */
  readonly #retired = new Map<string, DestinationStats>();
  readonly #closing = new Set<Promise<void>>();

  constructor(settings: ForwardSettings | undefined, options: ReloadableForwarderOptions) {
    this.#options = options;
    this.#settings = JSON.stringify(settings ?? NOTHING);
    this.#current = createSpanForwarder({ ...(settings ?? NOTHING), ...options });
  }

  get active(): boolean {
    return this.#current.active;
  }

  /** Forwards to `settings` from now on; false when they equal the running ones (no change). */
  replace(settings: ForwardSettings | undefined): boolean {
    const text = JSON.stringify(settings ?? NOTHING);
    if (text === this.#settings) return false;
    const old = this.#current;
    this.#settings = text;
    this.#current = createSpanForwarder({ ...(settings ?? NOTHING), ...this.#options });
    this.#draining.add(old);
    const closed = old.close(this.#options.drainMs).then(() => {
      this.#draining.delete(old);
      for (const stats of old.stats()) this.#retire({ ...stats, queuedSpans: 0 });
    });
    this.#closing.add(closed);
    void closed.finally(() => this.#closing.delete(closed));
    return true;
  }

  submit(spans: readonly SpanRecord[]): void {
    this.#current.submit(spans);
  }

  stats(): DestinationStats[] {
    const byEndpoint = new Map<string, DestinationStats>(this.#retired);
    for (const forwarder of [...this.#draining, this.#current]) {
      for (const stats of forwarder.stats()) {
        const total = byEndpoint.get(stats.endpoint);
        byEndpoint.set(stats.endpoint, total === undefined ? stats : added(total, stats));
      }
    }
    return [...byEndpoint.values()];
  }

  async close(timeoutMs: number): Promise<void> {
    await Promise.all([this.#current.close(timeoutMs), ...this.#closing]);
  }

  #retire(stats: DestinationStats): void {
    const total = this.#retired.get(stats.endpoint);
    this.#retired.set(stats.endpoint, total === undefined ? stats : added(total, stats));
  }
}
