/**
 * The worker side of the gateway cluster: answers the primary's requests for this process's
 * metrics, asks the primary for the whole cluster's metrics when `/metrics` is scraped here,
 * passes the primary's reload orders on, and, given a limiter, trades failed authentications with
 * the other workers through the primary.
 */
import type { AuthFailureLimiter } from '@to11/store';
import { batchAuthFailures, spendSharedFailures } from '@to11/store/auth-failure-sharing';
import type { GatewayMetrics } from '../telemetry/gateway-metrics.ts';
import type { MetricSnapshot } from '../telemetry/prometheus.ts';
import { type ClusterMessage, isClusterMessage } from './messages.ts';

/** How long a scrape waits for the primary before it shows this worker's metrics alone. */
const COLLECT_TIMEOUT_MS = 3_000;

/** A cluster worker's link to its primary, over the IPC channel of `process`. */
export class WorkerLink {
  #nextId = 1;
  readonly #pending = new Map<number, (metrics: MetricSnapshot[]) => void>();
  /** Called with the generation when the primary orders a reload of `to11.toml`. */
  onReload: ((generation: number) => void) | undefined;
  readonly #onMessage = (message: unknown): void => {
    if (!isClusterMessage(message)) return;
    if (message.to11 === 'metrics:snapshot' && !('metrics' in message)) {
      this.#send({ to11: 'metrics:snapshot', id: message.id, metrics: this.metrics.snapshot() });
    } else if (message.to11 === 'metrics:merged') {
      this.#pending.get(message.id)?.(message.metrics);
    } else if (message.to11 === 'config:reload') {
      this.onReload?.(message.id);
    } else if (message.to11 === 'auth:failures' && this.authFailures) {
      spendSharedFailures(this.authFailures, message.failures);
    }
  };
  readonly #stopBatching: (() => void) | undefined;

  constructor(
    private readonly metrics: GatewayMetrics,
    /** Shared with the other workers when given (no Redis to share it through). */
    private readonly authFailures?: AuthFailureLimiter,
  ) {
    process.on('message', this.#onMessage);
    this.#stopBatching = authFailures
      ? batchAuthFailures(authFailures, (failures) =>
          this.#send({ to11: 'auth:failures', id: 0, failures }),
        )
      : undefined;
  }

  #send(message: ClusterMessage): void {
    // Without a callback, a closed channel would be an 'error' event on process: a crash. A
    // collect that cannot reach the primary times out to this worker's own metrics instead.
    process.send?.(message, undefined, undefined, () => undefined);
  }

  /**
   * Every worker's metrics, summed by the primary. If the primary does not answer in time
   * (it is shutting down), this worker's own metrics.
   */
  collect(): Promise<MetricSnapshot[]> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      const done = (metrics: MetricSnapshot[]): void => {
        clearTimeout(timer);
        this.#pending.delete(id);
        resolve(metrics);
      };
      const timer = setTimeout(() => done(this.metrics.snapshot()), COLLECT_TIMEOUT_MS);
      this.#pending.set(id, done);
      this.#send({ to11: 'metrics:collect', id });
    });
  }

  /** Stops listening to the primary. */
  close(): void {
    process.off('message', this.#onMessage);
    this.#stopBatching?.();
  }
}
