/**
 * A store {@link SpanWriter} that also forwards what it stores: spans go to the forwarder once
 * their batch committed, so forwarding sees exactly the stored spans and never delays the write
 * or the caller (the forwarder's `submit` only queues).
 */
import type { SpanWriter } from '@to11/store';
import type { SpanForwarder } from './span-forwarder.ts';

/**
 * `writer`, forwarding every committed span through `forwarder`. `close()` closes the writer,
 * then gives the forwarder at most `flushTimeoutMs` to export what it holds.
 */
export function forwardingWriter(
  writer: SpanWriter,
  forwarder: SpanForwarder,
  flushTimeoutMs: number,
): SpanWriter {
  const handedOver = new Set<Promise<void>>();
  return {
    enqueue(spans) {
      const result = writer.enqueue(spans);
      if (result.status === 'queued' && forwarder.active) {
        const forwarded = result.committed.then(
          (write) => {
            if (write.status === 'ok') forwarder.submit(spans);
          },
          () => undefined,
        );
        handedOver.add(forwarded);
        void forwarded.finally(() => handedOver.delete(forwarded));
      }
      return result;
    },
    get queuedSpans() {
      return writer.queuedSpans;
    },
    get rejectedSpans() {
      return writer.rejectedSpans;
    },
    flush: () => writer.flush(),
    async close() {
      await writer.close();
      await Promise.all(handedOver);
      await forwarder.close(flushTimeoutMs);
    },
  };
}
