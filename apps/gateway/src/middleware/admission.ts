/**
 * The gateway's concurrency limit (`TO11_GATEWAY_MAX_IN_FLIGHT`): a `/v1/*` call that arrives
 * while that many are being answered (streams included) is refused at once with 503
 * `overloaded` and `Retry-After: 1`, before any work, so the calls already accepted keep their
 * latency and memory stays bounded. Refusals are counted in `to11_gateway_calls_shed_total`.
 *
 * While the gateway shuts down, a call that arrives on a keep-alive connection opened before
 * the signal is refused the same way, 503 `unavailable` with `Connection: close`: under a
 * sustained load those connections would otherwise bring new calls until the grace period
 * ends and cut them all there.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppDeps, AppEnv } from '../env.ts';
import { dialectForPath, errorResponse, GatewayError } from '../errors.ts';

/** The admission middleware; runs first on `/v1/*`. */
export function admission(deps: AppDeps): MiddlewareHandler<AppEnv> {
  const limit = deps.config.maxInFlight;
  // Not `async`: the admitted call returns next()'s own promise instead of wrapping it.
  return function admissionMiddleware(c, next) {
    if (deps.inFlight.draining) {
      deps.inFlight.refuse();
      const error = new GatewayError('unavailable', 'gateway shutting down; retry later');
      c.res = errorResponse(error, dialectForPath(c.req.path));
      c.res.headers.set('connection', 'close');
      return Promise.resolve();
    }
    if (deps.inFlight.count < limit) return next();
    deps.metrics.callsShed.inc();
    const error = new GatewayError(
      'overloaded',
      `gateway overloaded: ${limit} calls in flight (TO11_GATEWAY_MAX_IN_FLIGHT); retry later`,
    );
    c.res = errorResponse(error, dialectForPath(c.req.path));
    return Promise.resolve();
  };
}
