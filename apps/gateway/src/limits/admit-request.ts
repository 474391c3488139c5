/**
 * The limits hook of the GenAI pipeline (`invoke-genai.ts`): admits the request of the
 * authenticated key and project, or refuses it with 429 `rate_limit`, recorded on the HTTP span
 * as `gateway.limit.name` and `error.type = rate_limit` (a provider's 429 is on the GenAI span,
 * with the upstream's status, instead).
 */
import { ATTR_ERROR_TYPE } from '@to11/trace-core';
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../env.ts';
import type { LimitTicket } from './request-limits.ts';

/** Span attribute naming the gateway limit that refused the request. */
export const ATTR_GATEWAY_LIMIT_NAME = 'gateway.limit.name';

/** Admits the request under its key's and project's limits; throws the 429 otherwise. */
export function admitWithinLimits(
  c: Context<AppEnv>,
  deps: AppDeps,
): Promise<LimitTicket> | LimitTicket {
  const trace = c.get('trace');
  return deps.limits.admit(c.get('keyId'), c.get('projectId'), (name) => {
    trace.attributes[ATTR_GATEWAY_LIMIT_NAME] = name;
    trace.attributes[ATTR_ERROR_TYPE] = 'rate_limit';
  });
}
