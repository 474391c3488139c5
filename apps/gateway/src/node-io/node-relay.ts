/**
 * Relays an upstream response body straight to the node:http response (SPEC §4 "Streaming"):
 * each upstream chunk is written as it arrives (`res.write`), with backpressure (the upstream
 * is paused while the client's socket is full). The status line and headers go out with the
 * first chunk, or at once when no chunk is ready yet. Once the upstream has sent everything, the
 * last writes and the end of the response are corked into one socket write. A client that
 * goes away aborts the upstream request. The parsing and the outcome are {@link RelayCore}'s.
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { RelayCore, type RelayOptions } from './relay-core.ts';

/** What the node relay needs besides the relay options. */
export interface NodeRelayTarget {
  outgoing: ServerResponse;
  status: number;
  headers: OutgoingHttpHeaders;
  /** The upstream has sent its whole answer (what is left is already buffered here). */
  upstreamReceived: () => boolean;
  /** Sees every piece of text written to the client (the exact cache keeps a stream's events). */
  tap?: (data: Uint8Array | string) => void;
}

/** Writes the relayed stream to `target.outgoing`; the outcome goes to `options.onEnd`. */
export function relayToNode(options: RelayOptions, target: NodeRelayTarget): void {
  const core = new RelayCore(options);
  const { body } = options;
  const { outgoing } = target;
  let corked = false;

  const resume = (): void => {
    body.resume();
  };
  const send = (data: Uint8Array | string): void => {
    if (data.length === 0) return;
    target.tap?.(data);
    if (!corked && target.upstreamReceived()) {
      // Nothing more will arrive: let the end of the response share this write.
      outgoing.cork();
      corked = true;
    }
    if (outgoing.write(data)) return;
    if (corked) {
      // A full socket needs its data flushed before it can drain.
      corked = false;
      outgoing.uncork();
    }
    body.pause();
    outgoing.once('drain', resume);
  };
  let stopped = false;
  const stop = (): void => {
    stopped = true;
    body.off('data', onData);
    body.off('end', onEnd);
    body.off('close', onClose);
    outgoing.off('close', onClientClose);
    outgoing.off('drain', resume);
    // The 'error' listener stays: an aborted upstream body may still emit one.
  };
  const onData = (chunk: Uint8Array): void => send(core.push(chunk));
  const onEnd = (): void => {
    stop();
    const text = core.end();
    if (text) target.tap?.(text);
    if (text) outgoing.end(text);
    else outgoing.end();
  };
  const onBroken = (error: unknown): void => {
    if (stopped) return;
    stop();
    if (core.ended) return;
    const text = core.broken(error);
    // A binary body has no in-band error: break the response so the client notices.
    if (text === null) outgoing.destroy(new Error('upstream stream interrupted'));
    else outgoing.end(text);
  };
  const onClose = (): void => {
    if (!body.readableEnded) onBroken(new Error('upstream body closed before its end'));
  };
  const onClientClose = (): void => {
    if (outgoing.writableFinished) return;
    stop();
    core.clientGone();
  };

  body.on('error', onBroken);
  if (outgoing.destroyed) {
    // The client left between the upstream's answer and now.
    stop();
    core.clientGone();
    return;
  }
  outgoing.writeHead(target.status, target.headers);
  outgoing.once('close', onClientClose);
  body.on('data', onData);
  body.once('end', onEnd);
  body.once('close', onClose);
  // No chunk ready yet: the client gets the status and headers now, not with the first chunk.
  if (body.readableLength === 0) outgoing.flushHeaders();
}
