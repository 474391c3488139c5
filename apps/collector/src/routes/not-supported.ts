import { Hono } from 'hono';
import { CollectorError } from '../errors.ts';
import type { AppEnv } from '../http/env.ts';

/**
 * `/v1/metrics` and `/v1/logs` (SPEC §9 "Not supported signals"): 501, which OTLP exporters
 * treat as final, so they stop instead of retrying forever.
 */
export function notSupportedRoute(): Hono<AppEnv> {
  const refuse = (): never => {
    throw new CollectorError('not_supported', 'to11 accepts traces only');
  };
  return new Hono<AppEnv>().all('/v1/metrics', refuse).all('/v1/logs', refuse);
}
