/**
 * Opens the request's trace (SPEC §5): extracts `traceparent`/`tracestate`, starts the HTTP
 * server span, returns `traceparent` (the HTTP span) on every answer, and when the response is
 * complete (streams included) ends the span, hands the spans to the sink, and writes one access
 * log line (at the level of its `x-to11-error-code`, see `errors.ts`). Runs before auth so that 401s carry `traceparent` too.
 *
 * Served over node:http, "complete" means the response has been written out (the node response
 * closed): the span assembly, the sink hand-off and the log line then run after the caller has
 * its answer, off the latency path.
 */
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
} from '@to11/trace-core';
import type { MiddlewareHandler } from 'hono';
import type { AppDeps, AppEnv } from '../env.ts';
import { logLevelFor } from '../errors.ts';
import { answeredErrorCode, answeredStatus, nodeResponse } from '../node-io/node-response.ts';
import { nowNs, secondsBetween } from '../telemetry/clock.ts';
import { RequestTrace } from '../telemetry/request-trace.ts';

/** The trace middleware. */
export function trace(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async function traceMiddleware(c, next) {
    const done = deps.inFlight.begin();
    const method = c.req.method;
    const path = c.req.path;
    const outgoing = nodeResponse(c.env);
    const requestTrace = new RequestTrace(
      c.req.header('traceparent'),
      c.req.header('tracestate'),
      `${method} ${path}`,
      (spans) => {
        deps.sink.submit(spans);
        const errorCode = answeredErrorCode(outgoing, c.res);
        deps.logger[logLevelFor(errorCode)](
          {
            method,
            path,
            status: requestTrace.attributes[ATTR_HTTP_RESPONSE_STATUS_CODE],
            ...(errorCode ? { errorCode } : {}),
            durationMs: secondsBetween(requestTrace.startNs, nowNs()) * 1000,
            requestId: c.get('requestId'),
            traceId: requestTrace.traceId,
          },
          'request',
        );
        done();
      },
    );
    requestTrace.attributes[ATTR_HTTP_REQUEST_METHOD] = method;
    requestTrace.attributes[ATTR_URL_PATH] = path;
    requestTrace.attributes[ATTR_HTTP_ROUTE] = path;
    requestTrace.attributes['url.scheme'] = 'http';
    const userAgent = c.req.header('user-agent');
    if (userAgent) requestTrace.attributes['user_agent.original'] = userAgent;
    c.set('trace', requestTrace);
    if (outgoing) {
      outgoing.setHeader('traceparent', requestTrace.traceparent);
      outgoing.once('close', requestTrace.hold());
    }
    try {
      await next();
    } finally {
      if (!outgoing) c.res.headers.set('traceparent', requestTrace.traceparent);
      requestTrace.attributes['gateway.request.id'] = c.get('requestId');
      requestTrace.respond(answeredStatus(outgoing, c.res));
    }
  };
}
