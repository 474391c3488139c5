/**
 * The `/v1/*` chain as one Hono handler per route: request id → trace → auth → route, with the
 * errors rendered in the caller's envelope inside it. One handler per route means Hono's
 * dispatch calls it directly instead of through `compose` (a context, a closure and a promise
 * per layer per request).
 *
 * - Request id: every `/v1/*` request gets one, returned as `x-to11-request-id` on every answer
 *   (errors and streams included) and written on the access log line.
 * - Trace (SPEC §5): extracts `traceparent`/`tracestate`, starts the HTTP server span, returns
 *   `traceparent` (the HTTP span) on every answer, and when the response is complete (streams
 *   included) ends the span, hands the spans to the sink, and writes one access log line (at the
 *   level of its `x-to11-error-code`, see `errors.ts`). Opened before auth so that 401s carry
 *   `traceparent` too.
 * - Auth (`auth.ts`), then the route; what either throws is rendered by `renderError` (the app's
 *   error handler) and answered with the same headers.
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
import type { Context, Handler, Next } from 'hono';
import type { AppDeps, AppEnv } from '../env.ts';
import { logLevelFor } from '../errors.ts';
import { answeredErrorCode, answeredStatus, nodeResponse } from '../node-io/node-response.ts';
import { nowNs, secondsBetween } from '../telemetry/clock.ts';
import { RequestTrace } from '../telemetry/request-trace.ts';
import type { Authenticate } from './auth.ts';
import { newRequestId } from './request-id.ts';

/** Renders what auth or a route threw as the answer (the app's `onError`). */
export type ErrorRenderer = (error: unknown, c: Context<AppEnv>) => Response;

/** The `next` a route is given: the chain ends at the route. */
const END: Next = async () => {};

/**
 * `handler` behind request id, trace and (with `authenticate`) auth, as one handler. Without
 * `authenticate` the route runs unauthenticated (tests of the trace alone).
 */
export function traced(
  deps: AppDeps,
  handler: Handler<AppEnv>,
  renderError: ErrorRenderer,
  authenticate?: Authenticate,
): Handler<AppEnv> {
  return async function v1Chain(c) {
    const id = newRequestId();
    c.set('requestId', id);
    const outgoing = nodeResponse(c.env);
    const done = deps.inFlight.begin();
    const method = c.req.method;
    const path = c.req.path;
    // The answer the caller gets (the route's or the rendered error), read when the span ends.
    let answer: Response | undefined;
    const requestTrace = new RequestTrace(
      c.req.header('traceparent'),
      c.req.header('tracestate'),
      `${method} ${path}`,
      (spans) => {
        deps.sink.submit(spans);
        const errorCode = answer ? answeredErrorCode(outgoing, answer) : undefined;
        deps.logger[logLevelFor(errorCode)](
          {
            method,
            path,
            status: requestTrace.attributes[ATTR_HTTP_RESPONSE_STATUS_CODE],
            ...(errorCode ? { errorCode } : {}),
            durationMs: secondsBetween(requestTrace.startNs, nowNs()) * 1000,
            requestId: id,
            traceId: requestTrace.traceId,
          },
          'request',
        );
        done();
      },
    );
    const attributes = requestTrace.attributes;
    attributes[ATTR_HTTP_REQUEST_METHOD] = method;
    attributes[ATTR_URL_PATH] = path;
    attributes[ATTR_HTTP_ROUTE] = path;
    attributes['url.scheme'] = 'http';
    const userAgent = c.req.header('user-agent');
    if (userAgent) attributes['user_agent.original'] = userAgent;
    c.set('trace', requestTrace);
    if (outgoing) {
      outgoing.setHeader('x-to11-request-id', id);
      outgoing.setHeader('traceparent', requestTrace.traceparent);
      outgoing.once('close', requestTrace.hold());
    }
    try {
      if (authenticate) await authenticate(c);
      answer = await (handler(c, END) as Response | Promise<Response>);
    } catch (error) {
      answer = renderError(error, c);
    }
    if (!outgoing) {
      // Outside node-server (`app.request`): the headers go on the web response.
      c.res = answer;
      answer = c.res;
      answer.headers.set('traceparent', requestTrace.traceparent);
      answer.headers.set('x-to11-request-id', id);
    }
    attributes['gateway.request.id'] = id;
    requestTrace.respond(answeredStatus(outgoing, answer));
    return answer;
  };
}
