/**
 * One upstream HTTP exchange over an undici `Pool` per origin (keep-alive connections), bounded
 * by a timeout and tied to the client: a client that disconnects aborts it. Failures are
 * classified so the caller can answer 504 (timeout) or 502 (connection) and decide on retries.
 *
 * Why undici's `Pool` with a dispatch handler: measured in a bare proxy on this machine, it costs
 * ~40 µs less CPU per request than node:http's client (bench/README.md), and the handler gets the
 * abort and pause controls directly (no AbortSignal, no body wrapper per request). Why not the
 * global fetch: it limits a proxy to about a fifth of node:http's throughput. The pools connect
 * straight to the provider's origin: no proxy from the environment (HTTP_PROXY and the like are
 * not read), as with node:http before. Responses are requested uncompressed
 * and decoded with zlib if a provider compresses anyway. A reset before any answer is sent once
 * more only when the request went out on a reused keep-alive connection and no byte of its answer
 * came back, as with node:http's `reusedSocket` (upstream-pool.ts).
 */
import { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Dispatcher } from 'undici';
import type { HeaderRecord } from '../invoke/upstream-headers.ts';
import type { ClientLink } from './client-link.ts';
import {
  bytesReadBefore,
  failedOnStaleConnection,
  type PooledDispatch,
  targetOf,
} from './upstream-pool.ts';

/** Why an upstream exchange produced no usable response. */
export type CallFailureKind = 'timeout' | 'connect' | 'client_abort';

/** A classified failure. */
export interface CallFailure {
  kind: CallFailureKind;
  message: string;
}

/** Response headers, lowercase names; a repeated header is an array. */
export type UpstreamHeaders = Record<string, string | string[] | undefined>;

/** An upstream answer whose body has not been read yet. */
export interface UpstreamResponse {
  status: number;
  ok: boolean;
  headers: UpstreamHeaders;
  /** The (decoded) body as a Node stream. */
  body: Readable;
  /** Reads the whole body as UTF-8 text. */
  text(): Promise<string>;
  /** Reads the whole body as bytes. */
  bytes(): Promise<Buffer>;
  /** The upstream has sent its whole answer (the body may still be buffered here). */
  received(): boolean;
}

function decoded(raw: Readable, headers: UpstreamHeaders): Readable {
  const encoding = String(headers['content-encoding'] ?? '').toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') return raw.pipe(createGunzip());
  if (encoding === 'deflate') return raw.pipe(createInflate());
  if (encoding === 'br') return raw.pipe(createBrotliDecompress());
  return raw;
}

function readBytes(body: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    body.on('data', (chunk: Buffer) => chunks.push(chunk));
    body.once('end', () =>
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)),
    );
    body.once('error', reject);
    // A body cut without an error (socket closed mid-answer) must not hang the read.
    body.once('close', () => {
      if (!body.readableEnded) reject(new Error('upstream body closed before its end'));
    });
  });
}

/** Socket-level failures before any answer: the signature of a kept-alive connection closed by the upstream. */
const RETRY_ON_STALE_SOCKET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
}

/** The raw response body: pushed by the dispatch handler, paused and resumed through its controller. */
class UpstreamBody extends Readable {
  received = false;
  readonly #controller: Dispatcher.DispatchController;

  constructor(controller: Dispatcher.DispatchController) {
    super();
    this.#controller = controller;
  }

  override _read(): void {
    this.#controller.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.received) this.#controller.abort(error ?? new Error('upstream body destroyed'));
    callback(error);
  }
}

/** One upstream exchange. */
export class UpstreamCall {
  #cause: 'timeout' | 'client' | null = null;
  /** The request on its connection; aborted through it. */
  #controller: Dispatcher.DispatchController | undefined;
  /** Rejects the answer not started yet (a request still queued in its pool has no controller). */
  #rejectPending: ((error: Error) => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** Set once a stream has started: each chunk re-arms the timer for this long. */
  #idleMs: number | undefined;
  readonly #stopWatchingClient: (() => void) | undefined;

  /** Arms the timeout and watches the client. */
  constructor(timeoutMs: number, client: ClientLink | undefined) {
    this.#timer = setTimeout(() => this.#abort('timeout'), timeoutMs);
    if (client?.gone) this.#abort('client');
    else this.#stopWatchingClient = client?.onGone(() => this.#abort('client'));
  }

  #causeError(): Error {
    return new Error(this.#cause === 'timeout' ? 'upstream timeout' : 'client gone');
  }

  #abort(cause: 'timeout' | 'client'): void {
    if (this.#cause) return;
    this.#cause = cause;
    const error = this.#causeError();
    this.#rejectPending?.(error);
    this.#controller?.abort(error);
  }

  /** Sends a POST; rejects on network failure, timeout or client abort. */
  send(
    url: string,
    init: { headers: HeaderRecord; body: string | Uint8Array },
  ): Promise<UpstreamResponse> {
    return this.#send(url, init, true);
  }

  #send(
    url: string,
    init: { headers: HeaderRecord; body: string | Uint8Array },
    retryStale: boolean,
  ): Promise<UpstreamResponse> {
    const { pool, path } = targetOf(url);
    return new Promise((resolve, reject) => {
      if (this.#cause) {
        reject(this.#causeError());
        return;
      }
      this.#rejectPending = reject;
      let body: UpstreamBody | undefined;
      const options: PooledDispatch = {
        path,
        method: 'POST',
        headers: init.headers,
        body: init.body,
      };
      let readBefore = 0;
      const handler: Dispatcher.DispatchHandler = {
        onRequestStart: (controller) => {
          this.#controller = controller;
          readBefore = bytesReadBefore(options);
          if (this.#cause) controller.abort(this.#causeError());
        },
        onResponseStart: (controller, status, headers) => {
          this.#rejectPending = undefined;
          const raw = new UpstreamBody(controller);
          body = raw;
          const readable = decoded(raw, headers);
          resolve({
            status,
            ok: status >= 200 && status < 300,
            headers,
            body: readable,
            text: () => readBytes(readable).then((bytes) => bytes.toString('utf8')),
            bytes: () => readBytes(readable),
            received: () => raw.received,
          });
        },
        onResponseData: (controller, chunk) => {
          if (this.#idleMs !== undefined) this.#timer?.refresh();
          if (!body?.push(chunk)) controller.pause();
        },
        onResponseEnd: () => {
          if (!body) return;
          body.received = true;
          body.push(null);
        },
        onResponseError: (_controller, error) => {
          if (body) {
            body.destroy(error);
            return;
          }
          this.#rejectPending = undefined;
          // A kept-alive connection the upstream closed meanwhile: send once more.
          if (
            retryStale &&
            !this.#cause &&
            RETRY_ON_STALE_SOCKET.has(errorCode(error)) &&
            failedOnStaleConnection(options, readBefore)
          ) {
            this.#send(url, init, false).then(resolve, reject);
          } else reject(error);
        },
      };
      pool.dispatch(options, handler);
    });
  }

  /**
   * A stream has started: the call's timeout becomes an idle timeout of `idleMs`, re-armed by
   * every chunk, so a stream that goes silent is cut while a long one that keeps talking is not.
   */
  streamStarted(idleMs: number): void {
    clearTimeout(this.#timer);
    this.#idleMs = idleMs;
    this.#timer = setTimeout(() => this.#abort('timeout'), idleMs);
  }

  /** Aborts the exchange because the client went away. */
  abortForClient(): void {
    this.#abort('client');
  }

  /** Releases the timer and the client listener. */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#stopWatchingClient?.();
  }

  /** Classifies an error thrown by {@link send} or by reading the body. */
  failure(error: unknown): CallFailure {
    if (this.#cause === 'timeout' && this.#idleMs !== undefined)
      return { kind: 'timeout', message: `upstream stream silent for ${this.#idleMs} ms` };
    if (this.#cause === 'timeout')
      return { kind: 'timeout', message: 'upstream request timed out' };
    if (this.#cause === 'client') return { kind: 'client_abort', message: 'client disconnected' };
    const code = errorCode(error);
    return { kind: 'connect', message: `upstream connection failed${code ? ` (${code})` : ''}` };
  }
}
