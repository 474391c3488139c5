/**
 * Test dependencies for middleware tests: a real config and logger, a sink that collects the
 * spans it is given, and the store passed in (or one that must not be touched).
 */
import type { Store } from '@to11/store';
import type { SpanRecord } from '@to11/trace-core';
import pino from 'pino';
import { loadGatewayConfig } from '../config.ts';
import type { AppDeps } from '../env.ts';
import { InFlight } from '../in-flight.ts';
import { GatewayMetrics } from '../telemetry/gateway-metrics.ts';

/** Deps whose sink collects spans into `spans` and whose logger writes into `logs`. */
export function testDeps(store: Store): AppDeps & { spans: SpanRecord[][]; logs: string[] } {
  const spans: SpanRecord[][] = [];
  const logs: string[] = [];
  return {
    config: loadGatewayConfig({}),
    store,
    logger: pino({ level: 'info' }, { write: (line: string) => logs.push(line) }),
    metrics: new GatewayMetrics(() => 0),
    sink: { submit: (batch) => spans.push(batch) },
    inFlight: new InFlight(),
    spans,
    logs,
  };
}
