/**
 * The shared handler of every GenAI endpoint: read the body, resolve the model to a route plan,
 * record the client-declared operation span, then run attempts until one answers or the plan
 * gives up (the last failure is the answer).
 */

import type { EndpointKind } from '@to11/config';
import { genAiSpanName, randomSpanId } from '@to11/trace-core';
import type { Context } from 'hono';
import { CACHE_OFF, cacheApplies, lookupCache } from '../cache/exact-cache.ts';
import { replayHit } from '../cache/replay-hit.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { type ErrorDialect, GatewayError } from '../errors.ts';
import { guardRequest } from '../guardrails/guard-request.ts';
import { admitWithinLimits } from '../limits/admit-request.ts';
import { callerHeaders } from '../node-io/caller-headers.ts';
import { clientLink, waitForClient } from '../node-io/client-link.ts';
import { nodeExchange } from '../node-io/node-exchange.ts';
import { requestedEnvironment } from '../routing/environment-views.ts';
import { type AttemptFailure, RoutePlan } from '../routing/route-plan.ts';
import { clientContext, contextOperation } from '../telemetry/client-context.ts';
import { nowNs } from '../telemetry/clock.ts';
import type { MetricScope } from '../telemetry/gateway-metrics.ts';
import type { RequestTrace } from '../telemetry/request-trace.ts';
import { type CallerFormat, exchangeFor } from './exchange.ts';
import type { ParsedRequest } from './read-request.ts';
import { runAttempt } from './run-attempt.ts';
import { callerProviderKey } from './upstream-headers.ts';

/** What distinguishes one GenAI endpoint from another. */
export interface GenAiEndpoint {
  caller: CallerFormat;
  kind: EndpointKind;
  dialect: ErrorDialect;
  scope: MetricScope;
  read(c: Context<AppEnv>): Promise<ParsedRequest>;
}

function recordContextOperation(
  header: (name: string) => string | undefined,
  trace: RequestTrace,
  model: string,
): void {
  const declared = contextOperation(header);
  if (!declared) return;
  trace.addSpan({
    spanId: randomSpanId(),
    parentSpanId: trace.spanId,
    name: genAiSpanName(declared.operation, model),
    kind: 'INTERNAL',
    startTimeUnixNano: trace.startNs,
    endTimeUnixNano: nowNs(),
    status: { code: 'UNSET' },
    attributes: declared.attributes,
  });
}

/** Handles one GenAI call end to end. */
export async function invokeGenAi(
  c: Context<AppEnv>,
  deps: AppDeps,
  endpoint: GenAiEndpoint,
): Promise<Response> {
  const read = await endpoint.read(c);
  const node = nodeExchange(c.env);
  const incoming = callerHeaders(node.incoming);
  const header = (name: string): string | undefined => incoming[name];
  const plan = RoutePlan.resolve(read.model, endpoint.kind, deps.config, {
    environment: requestedEnvironment(header),
    observer: deps.metrics,
  });
  if (!plan) {
    throw new GatewayError(
      'model_not_found',
      `The model \`${read.model}\` does not exist or is not served by this gateway`,
      {
        param: 'model',
      },
    );
  }
  const admitted = admitWithinLimits(c, deps);
  const limits = admitted instanceof Promise ? await admitted : admitted;
  const trace = c.get('trace');
  recordContextOperation(header, trace, read.model);
  const key = callerProviderKey(incoming);
  const callerKey = key === c.get('to11Key') ? undefined : key;
  const context = clientContext(header, read.telemetry.userId);
  const { outgoing } = node;
  // Guardrails may block (400) or redact; the exact cache may answer (guardrails/, cache/).
  const request = guardRequest(deps, read, trace, context);
  const client = clientLink(outgoing);
  const environment = requestedEnvironment(header);
  const cached = !cacheApplies(deps, endpoint.caller, request)
    ? CACHE_OFF
    : await lookupCache(deps, {
        projectId: c.get('projectId'),
        caller: endpoint.caller,
        request,
        cacheControl: incoming['cache-control'],
        spanAttributes: context,
        semantic: {
          trace,
          limits,
          client,
          callerKey,
          // Resolved apart so the plan of the call itself is not advanced.
          callerProviderId: deps.config.cache.semantic
            ? RoutePlan.resolve(read.model, endpoint.kind, deps.config, { environment })?.next()
                ?.attempt.provider.id
            : undefined,
          context,
          environment,
        },
      });
  const first = cached.kind === 'hit' ? plan.next()?.attempt : undefined;
  if (cached.kind === 'hit' && first) {
    const { caller, scope } = endpoint;
    return replayHit({
      ...cached,
      deps,
      trace,
      outgoing,
      caller,
      scope,
      request,
      attempt: first,
      context,
    });
  }
  let failure: AttemptFailure | undefined;
  let last: Response | undefined;
  for (let step = plan.next(); step; step = plan.next(failure)) {
    if (step.delayMs > 0 && !(await waitForClient(step.delayMs, client))) {
      return new Response(null, { status: 499 });
    }
    const exchange = exchangeFor(endpoint.caller, step.attempt.provider.format);
    if (!exchange) {
      throw new GatewayError(
        'bad_request',
        `model \`${request.model}\` (provider ${step.attempt.provider.id}) does not support ${endpoint.kind}`,
        { param: 'model' },
      );
    }
    const result = await runAttempt({
      deps,
      trace,
      limits,
      caller: endpoint.caller,
      dialect: endpoint.dialect,
      scope: endpoint.scope,
      request,
      exchange,
      attempt: step.attempt,
      context,
      callerKey,
      incoming,
      client,
      outgoing,
      cache: cached.kind === 'miss' ? cached.writer : undefined,
    });
    if (result.kind === 'done') return result.response;
    failure = result.failure;
    last = result.response;
  }
  if (!last) throw new GatewayError('internal', 'no upstream attempt could be made');
  return last;
}
