/**
 * The gateway's concurrency limit (`TO11_GATEWAY_MAX_IN_FLIGHT`): a `/v1/*` call that arrives
 * while that many are being answered (streams included) is refused at once with 503
 * `overloaded` and `Retry-After: 1`, before any work, so memory stays bounded and the calls
 * already accepted keep the event loop. Refusals are counted in `to11_gateway_calls_shed_total`.
 *
 * While the gateway shuts down, a call that arrives on a keep-alive connection opened before
 * the signal is refused the same way, 503 `overloaded` with `Connection: close`: under a
 * sustained load those connections would otherwise bring new calls until the grace period
 * ends and cut them all there.
 *
 * The refusal is made in the `node:http` request listener, before Hono, the request id, the
 * trace, auth or the body: at twice the capacity every other arriving call is refused, and
 * each refusal that went through the app (a `Request`, a `Response`, its headers copied back
 * to node) took CPU from the calls accepted. Its answer still carries what SPEC §4 puts on
 * every `/v1/*` answer: `traceparent` (in the caller's trace when it sent a valid one, with a
 * span id of its own; a refused call records no span), `x-to11-request-id`,
 * `x-to11-error-code` and the caller's SDK error envelope. The body is not read: node discards
 * it and keeps the connection.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { formatTraceparent, randomSpanId } from '@to11/trace-core';
import type { AppDeps } from '../env.ts';
import { dialectForPath, ERROR_TABLE, type ErrorCode, errorBody } from '../errors.ts';
import { inboundTrace } from '../telemetry/request-trace.ts';
import { newRequestId } from './request-id.ts';

/** A refusal's status, body and fixed headers, built once per code, dialect and limit. */
interface Refusal {
  status: number;
  body: Buffer;
  headers: [string, string][];
}

function buildRefusal(
  code: ErrorCode,
  path: string,
  message: string,
  extra: [string, string][],
): Refusal {
  const spec = ERROR_TABLE[code];
  const body = Buffer.from(
    JSON.stringify(errorBody(dialectForPath(path), code, message, spec.status)),
  );
  return {
    status: spec.status,
    body,
    headers: [
      ['content-type', 'application/json'],
      ['content-length', String(body.length)],
      ['x-to11-error-code', spec.wireCode],
      ['retry-after', String(spec.retryAfterSeconds ?? 1)],
      ...extra,
    ],
  };
}

/** Writes `refusal` with this request's own `traceparent` and request id. */
function refuse(req: IncomingMessage, res: ServerResponse, refusal: Refusal): void {
  const header = req.headers.traceparent;
  const { traceId, traceFlags } = inboundTrace(Array.isArray(header) ? header[0] : header);
  const traceparent = formatTraceparent({ traceId, spanId: randomSpanId(), traceFlags });
  res.writeHead(refusal.status, [
    ...refusal.headers,
    ['traceparent', traceparent],
    ['x-to11-request-id', newRequestId()],
  ]);
  res.end(refusal.body);
}

/** True for a path Hono's `/v1/*` matches. */
function isApiPath(url: string): boolean {
  return url.startsWith('/v1/') || url === '/v1' || url.startsWith('/v1?');
}

/** `listener` (the Hono app's), behind the concurrency limit and the shutdown refusal. */
export function admitting(deps: AppDeps, listener: RequestListener): RequestListener {
  // Keyed by dialect (and limit for `overloaded`): the limit can change on a live reload.
  const built = new Map<string, Refusal>();
  const cached = (key: string, make: () => Refusal): Refusal => {
    let refusal = built.get(key);
    if (!refusal) {
      refusal = make();
      built.set(key, refusal);
    }
    return refusal;
  };
  return function admissionListener(req, res) {
    const url = req.url ?? '/';
    if (!isApiPath(url)) return listener(req, res);
    const dialect = dialectForPath(url);
    if (deps.inFlight.draining) {
      deps.inFlight.refuse();
      const refusal = cached(`unavailable ${dialect}`, () =>
        buildRefusal('unavailable', url, 'gateway shutting down; retry later', [
          ['connection', 'close'],
        ]),
      );
      return refuse(req, res, refusal);
    }
    const limit = deps.config.maxInFlight;
    if (deps.inFlight.count < limit) return listener(req, res);
    deps.metrics.callsShed.inc();
    const refusal = cached(`overloaded ${dialect} ${limit}`, () =>
      buildRefusal(
        'overloaded',
        url,
        `gateway overloaded: ${limit} calls in flight (TO11_GATEWAY_MAX_IN_FLIGHT); retry later`,
        [],
      ),
    );
    refuse(req, res, refusal);
  };
}
