/** `GET /metrics`: Prometheus text exposition of the gateway's metrics (SPEC §9). */
import type { Handler } from 'hono';
import type { GatewayMetrics } from '../telemetry/gateway-metrics.ts';

/** The metrics handler. */
export function metrics(registry: GatewayMetrics): Handler {
  return () =>
    new Response(registry.render(), {
      headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
    });
}
