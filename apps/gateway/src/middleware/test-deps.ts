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
import { MemoryLimitCounters } from '../limits/limit-counters.ts';
import { LimitSettingsCache } from '../limits/limit-settings-cache.ts';
import { RequestLimits } from '../limits/request-limits.ts';
import { GatewayMetrics } from '../telemetry/gateway-metrics.ts';

/** Deps whose sink collects spans into `spans` and whose logger writes into `logs`. */
export function testDeps(store: Store): AppDeps & { spans: SpanRecord[][]; logs: string[] } {
  const spans: SpanRecord[][] = [];
  const logs: string[] = [];
  const config = loadGatewayConfig({});
  const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(line) });
  const metrics = new GatewayMetrics(() => 0);
  const defaults = { key: config.limits.keyDefaults, project: config.limits.projectDefaults };
  return {
    config,
    store,
    logger,
    metrics,
    limits: new RequestLimits({
      config: config.limits,
      settings: new LimitSettingsCache(store, defaults),
      counters: new MemoryLimitCounters(),
      keyPrefix: config.redisKeyPrefix,
      metrics,
      logger,
      now: Date.now,
    }),
    sink: { submit: (batch) => spans.push(batch) },
    inFlight: new InFlight(),
    spans,
    logs,
  };
}
