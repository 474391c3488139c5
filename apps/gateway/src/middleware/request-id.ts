/**
 * Gives every `/v1/*` request an id, returned as `x-to11-request-id` on every answer (errors
 * and streams included) and written on the access log line.
 */
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';

/** The request-id middleware. */
export function requestId(): MiddlewareHandler<AppEnv> {
  return async function requestIdMiddleware(c, next) {
    const id = `req_${randomUUID().replaceAll('-', '')}`;
    c.set('requestId', id);
    await next();
    c.res.headers.set('x-to11-request-id', id);
  };
}
