/**
 * Relays an upstream response body to the client as a web `ReadableStream` (the path taken
 * outside node-server, e.g. `app.request`; see `node-relay.ts` for the node:http one), reading
 * one upstream chunk per client pull so backpressure reaches the upstream. A client that goes
 * away cancels the relay, which aborts the upstream request. The parsing and the outcome are
 * {@link RelayCore}'s.
 */
import { RelayCore, type RelayOptions } from './relay-core.ts';

const encoder = new TextEncoder();

function bytesOf(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? encoder.encode(data) : data;
}

/** A ReadableStream relaying `options.body` to the client. */
export function relayStream(options: RelayOptions): ReadableStream<Uint8Array> {
  const core = new RelayCore(options);
  const reader = options.body[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        for (;;) {
          let chunk: IteratorResult<Uint8Array>;
          try {
            chunk = await reader.next();
          } catch (error) {
            if (core.ended) return;
            const text = core.broken(error);
            // A binary body has no in-band error: break the response so the client notices.
            if (text === null) controller.error(new Error('upstream stream interrupted'));
            else {
              controller.enqueue(encoder.encode(text));
              controller.close();
            }
            return;
          }
          if (chunk.done) {
            const text = core.end();
            if (text) controller.enqueue(encoder.encode(text));
            controller.close();
            return;
          }
          const data = core.push(chunk.value);
          if (data.length > 0) {
            controller.enqueue(bytesOf(data));
            return;
          }
        }
      },
      cancel() {
        core.clientGone();
      },
    },
    { highWaterMark: 0 },
  );
}
