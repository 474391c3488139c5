/**
 * The node:http response behind a request served by @hono/node-server (`c.env.outgoing`).
 * Headers every answer carries are set on it directly: that keeps the route's Response on
 * node-server's fast path (a plain header record, no `Headers` object built per request).
 */
import { ServerResponse } from 'node:http';

/** The node:http response of `env`, or undefined outside node-server (e.g. `app.request`). */
export function nodeResponse(env: unknown): ServerResponse | undefined {
  if (typeof env !== 'object' || env === null || !('outgoing' in env)) return undefined;
  return env.outgoing instanceof ServerResponse ? env.outgoing : undefined;
}
