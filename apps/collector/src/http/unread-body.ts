/**
 * What becomes of a request body the collector answered without reading it whole: an export
 * refused from its headers (401, 503 `overloaded` past `TO11_COLLECTOR_MAX_CONCURRENT_EXPORTS`,
 * 415), or one whose reading stopped early (413).
 *
 * It is read off the wire and discarded, so the keep-alive connection stays usable,
 * within `TO11_HTTP_REQUEST_TIMEOUT_MS` like any request. `@hono/node-server`'s own clean-up
 * (`autoCleanupIncoming`, off in `start-collector.ts`) instead closed the connection when the rest
 * of the body had not arrived 500 ms after the answer: a slow client, or the collector's own
 * event loop busy at twice its capacity, and the client's next request on that connection, or the
 * end of this body, met a reset (one way to the `ECONNRESET`s of `bench/collector-overload.ts`; a few remain). What is
 * discarded is bounded here by `maxBytes` (the largest body the collector accepts): past it the
 * connection is closed.
 */
import type { RequestListener } from 'node:http';

/** `listener`, with the unread rest of each request body discarded up to `maxBytes`. */
export function discardingUnreadBodies(
  listener: RequestListener,
  maxBytes: number,
): RequestListener {
  return (req, res) => {
    // Before node's own 'finish' handler, which would drop an unread body unseen: it flows here.
    res.prependOnceListener('finish', () => {
      if (req.complete) return;
      let discarded = 0;
      req.on('data', (chunk: Buffer) => {
        discarded += chunk.length;
        if (discarded > maxBytes) req.socket.destroy();
      });
    });
    listener(req, res);
  };
}
