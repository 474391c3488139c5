/**
 * `GET /metrics`: Prometheus text exposition of the gateway's metrics (SPEC §9). In a cluster
 * worker, the sum over every worker, so that a scrape shows the whole gateway whichever worker
 * the connection landed on.
 */
import type { Handler } from 'hono';
import type { AppDeps } from '../env.ts';
import { renderMetrics } from '../telemetry/prometheus.ts';

/** The metrics handler. */
export function metrics(deps: Pick<AppDeps, 'metrics' | 'cluster'>): Handler {
  return async () =>
    new Response(
      renderMetrics(deps.cluster ? await deps.cluster.collect() : deps.metrics.snapshot()),
      { headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' } },
    );
}
