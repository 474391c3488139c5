/**
 * The node:http request and response behind a request served by @hono/node-server
 * (`c.env.incoming`, `c.env.outgoing`). Headers every answer carries are set on the response
 * directly, and the GenAI routes write their answers to it themselves (see
 * {@link ALREADY_ANSWERED}): that skips the web `Request`/`Response`/`Headers` layer on the hot
 * path. Outside node-server (`app.request`) both are undefined: the middleware then falls back
 * to the web objects, while the GenAI routes need node-server (`node-exchange.ts`).
 */
import { IncomingMessage, type OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';

/** The node:http response of `env`, or undefined outside node-server (e.g. `app.request`). */
export function nodeResponse(env: unknown): ServerResponse | undefined {
  if (typeof env !== 'object' || env === null || !('outgoing' in env)) return undefined;
  return env.outgoing instanceof ServerResponse ? env.outgoing : undefined;
}

/** The node:http request of `env`, or undefined outside node-server. */
export function nodeRequest(env: unknown): IncomingMessage | undefined {
  if (typeof env !== 'object' || env === null || !('incoming' in env)) return undefined;
  return env.incoming instanceof IncomingMessage ? env.incoming : undefined;
}

/**
 * What a handler returns once it has written its answer to the node response itself:
 * node-server then leaves the response alone. (Created when this module loads, before
 * node-server replaces the global `Response`, so node-server recognises it.)
 */
export const ALREADY_ANSWERED: Response = RESPONSE_ALREADY_SENT;

/** The status the caller got: the one written to the node response, else the route's. */
export function answeredStatus(outgoing: ServerResponse | undefined, response: Response): number {
  return outgoing?.headersSent ? outgoing.statusCode : response.status;
}

/** The `x-to11-error-code` the caller got, if any (node response first, as above). */
export function answeredErrorCode(
  outgoing: ServerResponse | undefined,
  response: Response,
): string | undefined {
  const value = outgoing?.headersSent
    ? outgoing.getHeader('x-to11-error-code')
    : response.headers.get('x-to11-error-code');
  return typeof value === 'string' ? value : undefined;
}

/** Writes a complete answer with its length in one go (headers and body in one write). */
export function sendComplete(
  outgoing: ServerResponse,
  status: number,
  headers: OutgoingHttpHeaders,
  body: string | Uint8Array,
): void {
  headers['content-length'] = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  outgoing.writeHead(status, headers);
  outgoing.end(body);
}
