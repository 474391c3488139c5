/**
 * Gives every `/v1/*` request an id, returned as `x-to11-request-id` on every answer (errors
 * and streams included) and written on the access log line.
 */
import { randomTraceId } from '@to11/trace-core';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';
import { nodeResponse } from '../node-io/node-response.ts';

/** A new request id: 32 random hex characters from trace-core's pooled generator (cheaper than a UUID). */
export function newRequestId(): string {
  return `req_${randomTraceId()}`;
}

/** The request-id middleware. */
export function requestId(): MiddlewareHandler<AppEnv> {
  return async function requestIdMiddleware(c, next) {
    const id = newRequestId();
    c.set('requestId', id);
    const outgoing = nodeResponse(c.env);
    outgoing?.setHeader('x-to11-request-id', id);
    await next();
    if (!outgoing) c.res.headers.set('x-to11-request-id', id);
  };
}
