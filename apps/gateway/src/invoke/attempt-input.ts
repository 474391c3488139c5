/**
 * What one upstream attempt is given: the request as read, its exchange and planned attempt,
 * and the caller's side (trace, headers, node response). Shared by `run-attempt.ts` and
 * `attempt-answer.ts`.
 */
import type { ServerResponse } from 'node:http';
import type { Attributes } from '@to11/trace-core';
import type { CacheWriter } from '../cache/exact-cache.ts';
import type { AppDeps } from '../env.ts';
import type { ErrorDialect } from '../errors.ts';
import type { LimitTicket } from '../limits/request-limits.ts';
import type { ClientLink } from '../node-io/client-link.ts';
import type { PlannedAttempt } from '../routing/route-plan.ts';
import type { MetricScope } from '../telemetry/gateway-metrics.ts';
import type { RequestTrace } from '../telemetry/request-trace.ts';
import type { CallerFormat, Exchange } from './exchange.ts';
import type { ParsedRequest } from './read-request.ts';
import type { HeaderRecord } from './upstream-headers.ts';

/** Everything one attempt needs. */
export interface AttemptInput {
  deps: AppDeps;
  trace: RequestTrace;
  /** The request's admission under its limits: each attempt's usage is settled on it. */
  limits: LimitTicket;
  caller: CallerFormat;
  dialect: ErrorDialect;
  scope: MetricScope;
  request: ParsedRequest;
  exchange: Exchange;
  attempt: PlannedAttempt;
  context: Attributes;
  callerKey: string | undefined;
  /** The caller's request headers. */
  incoming: HeaderRecord;
  client: ClientLink;
  /** The node:http response the answer is written to. */
  outgoing: ServerResponse;
  /** Stores a 200 answer in the exact cache (a miss with caching on). */
  cache?: CacheWriter | undefined;
}
