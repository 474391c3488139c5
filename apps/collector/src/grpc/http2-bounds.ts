/**
 * Bounds on hostile HTTP/2 clients of the OTLP/gRPC listener, from the same settings that bound
 * HTTP/1.1 clients (Node's HTTP/2 server has no headers or request timeout of its own, and its
 * idle timeout watches the connection, which a client keeps busy with PINGs). The listener
 * serves unary calls only (TraceService/Export), so a stream's life is short and bounded:
 *
 * - a connection must send its first request's headers within `headersTimeoutMs` (a client that
 *   never sends the preface, or only SETTINGS, is closed);
 * - a stream must send its whole request within `requestTimeoutMs` (a dribbled or missing body);
 * - a stream whose answer is written but not taken for `idleTimeoutMs` (checked every
 *   `idleTimeoutMs`, so within twice that) is reset: a client that never reads its answer, its
 *   flow-control window left at 0.
 *
 * A reset stream is `RST_STREAM CANCEL`; the gRPC client sees `CANCELLED`.
 */
import http2 from 'node:http2';
import type { ServerSettings } from '@to11/config';

/** Applies the bounds to every session and stream of `server`. */
export function boundHttp2Clients(server: http2.Http2Server, settings: ServerSettings): void {
  server.on('session', (session) => {
    const firstRequest = setTimeout(() => session.destroy(), settings.headersTimeoutMs);
    firstRequest.unref();
    session.once('stream', () => clearTimeout(firstRequest));
    session.once('close', () => clearTimeout(firstRequest));
  });
  server.on('stream', (stream) => {
    const cancel = () => {
      if (!stream.destroyed) stream.close(http2.constants.NGHTTP2_CANCEL);
    };
    const wholeRequest = setTimeout(cancel, settings.requestTimeoutMs);
    wholeRequest.unref();
    const received = () => clearTimeout(wholeRequest);
    stream.once('end', received);
    // Node's own stream timeout cannot be used here: it counts any frame of the session as
    // activity, so PINGs keep every stuck stream alive.
    let stuck = false;
    const unread = setInterval(() => {
      const waiting = stream.writableEnded && !stream.writableFinished;
      if (waiting && stuck) cancel();
      stuck = waiting;
    }, settings.idleTimeoutMs);
    unread.unref();
    stream.once('close', () => {
      received();
      clearInterval(unread);
    });
  });
}
