/** `GET /health`: liveness (reference §2.7), no auth, no span. */
import type { Handler } from 'hono';

/** The health handler. */
export function health(): Handler {
  return () => new Response('{"status":"ok"}', { headers: { 'content-type': 'application/json' } });
}
