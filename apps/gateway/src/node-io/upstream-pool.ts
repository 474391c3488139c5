/**
 * The undici pools of upstream calls, one per origin, whose connections remember their current
 * socket. A request can then tell whether it went out on a reused keep-alive connection and
 * whether any byte of its answer came back: the two facts that decide a retry after a reset
 * (node:http's `reusedSocket` gave the first; undici's handler API gives neither).
 */
import type { Socket } from 'node:net';
import { type buildConnector, Client, type Dispatcher, Pool } from 'undici';

/** Dispatch options the connection that takes the request fills in with itself. */
export interface PooledDispatch extends Dispatcher.DispatchOptions {
  connection?: PooledConnection;
}

/** One keep-alive connection of a pool (an undici `Client`) that knows its current socket. */
class PooledConnection extends Client {
  /** The socket of the last connect; a reconnect replaces it before any request is written. */
  socket: Socket | undefined;

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) {
    (options as PooledDispatch).connection = this;
    return super.dispatch(options, handler);
  }
}

/** The pool's client factory: its connector (built by the pool from its options) is wrapped. */
function pooledConnection(origin: URL, options: object): PooledConnection {
  const clientOptions = options as Client.Options;
  const connect = clientOptions.connect;
  if (typeof connect !== 'function') return new PooledConnection(origin, clientOptions);
  const wrapped: buildConnector.connector = (connectOptions, callback) =>
    connect(connectOptions, (...result) => {
      if (result[1]) client.socket = result[1];
      callback(...result);
    });
  const client = new PooledConnection(origin, { ...clientOptions, connect: wrapped });
  return client;
}

/**
 * Bytes the request's connection had read when the request was written: 0 on a fresh
 * connection (nothing came back on it yet), more on a reused one.
 */
export function bytesReadBefore(options: PooledDispatch): number {
  return options.connection?.socket?.bytesRead ?? 0;
}

/**
 * A failed request may be sent once more when it went out on a reused connection (`readBefore`
 * > 0) and not one byte of its answer arrived: the signature of a keep-alive connection the
 * upstream closed meanwhile. On a fresh connection the upstream may have taken the body and
 * then reset; sending it again could run the call twice.
 */
export function failedOnStaleConnection(options: PooledDispatch, readBefore: number): boolean {
  return readBefore > 0 && options.connection?.socket?.bytesRead === readBefore;
}

// undici's own timeouts are off (connect, headers, body): the attempt's timeout and the client
// bound the exchange.
const poolOptions: Pool.Options = {
  connectTimeout: 0,
  headersTimeout: 0,
  bodyTimeout: 0,
  factory: pooledConnection,
};

/** The pool and request path of an upstream URL, parsed once: the config fixes the set of URLs. */
export interface UpstreamTarget {
  pool: Pool;
  path: string;
}

const pools = new Map<string, Pool>();
const targets = new Map<string, UpstreamTarget>();
const MAX_CACHED_TARGETS = 256;

/** The pool of the URL's origin (created on first use) and the URL's path with its query. */
export function targetOf(url: string): UpstreamTarget {
  let target = targets.get(url);
  if (!target) {
    const parsed = new URL(url);
    let pool = pools.get(parsed.origin);
    if (!pool) {
      pool = new Pool(parsed.origin, poolOptions);
      pools.set(parsed.origin, pool);
    }
    target = { pool, path: `${parsed.pathname}${parsed.search}` };
    if (targets.size >= MAX_CACHED_TARGETS) targets.clear();
    targets.set(url, target);
  }
  return target;
}
