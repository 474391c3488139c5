/**
 * The node:http request and response a GenAI route answers through. The gateway is served by
 * @hono/node-server (`main.ts`, `startGateway`): the proxy reads the caller's raw headers and
 * writes its answer straight to the node response, so a request without them is a bug.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { nodeRequest, nodeResponse } from './node-response.ts';

/** The node request and response of one proxied call. */
export interface NodeExchange {
  incoming: IncomingMessage;
  outgoing: ServerResponse;
}

/** The node request and response behind `env` (Hono's `c.env` under node-server). */
export function nodeExchange(env: unknown): NodeExchange {
  const incoming = nodeRequest(env);
  const outgoing = nodeResponse(env);
  if (!incoming || !outgoing) {
    throw new Error('the GenAI routes need the node:http request and response of node-server');
  }
  return { incoming, outgoing };
}
