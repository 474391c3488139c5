/**
 * What every HTTP listener (gateway, collector) does with slow or hostile clients: the Node
 * server timeouts that bound a slowloris client and a client that never reads its answer, and
 * the per-address limit on failed authentication (issue "reliability and security").
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { z } from 'zod';
import { setting } from './setting.ts';

/** The defaults of {@link serverEnvSchema}. */
export const SERVER_DEFAULTS = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 300_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 300_000,
  http2MaxStreams: 100,
  authFailureLimit: 30,
  authFailureWindowSeconds: 60,
} as const;

const ms = z.coerce.number().int().min(1);

export const serverEnvSchema = z.object({
  TO11_HTTP_HEADERS_TIMEOUT_MS: setting(ms, {
    description:
      'Longest a client may take to send its request headers (a slowloris client is cut after it); on the collector gRPC listener (HTTP/2), longest a new connection may take to send its first request',
    default: String(SERVER_DEFAULTS.headersTimeoutMs),
  }).default(SERVER_DEFAULTS.headersTimeoutMs),
  TO11_HTTP_REQUEST_TIMEOUT_MS: setting(ms, {
    description:
      'Longest a client may take to send a whole request, body included (on HTTP/2, per stream: the stream is reset)',
    default: String(SERVER_DEFAULTS.requestTimeoutMs),
  }).default(SERVER_DEFAULTS.requestTimeoutMs),
  TO11_HTTP_KEEP_ALIVE_TIMEOUT_MS: setting(ms, {
    description: 'How long an idle keep-alive connection stays open after its last answer',
    default: String(SERVER_DEFAULTS.keepAliveTimeoutMs),
  }).default(SERVER_DEFAULTS.keepAliveTimeoutMs),
  TO11_HTTP_IDLE_TIMEOUT_MS: setting(ms, {
    description:
      'A connection with no bytes moving either way for this long is closed (a client that stops reading its answer); on HTTP/2 each stream too; keep it above the longest upstream timeout',
    default: String(SERVER_DEFAULTS.idleTimeoutMs),
  }).default(SERVER_DEFAULTS.idleTimeoutMs),
  TO11_HTTP2_MAX_CONCURRENT_STREAMS: setting(z.coerce.number().int().min(1), {
    description:
      'Streams one HTTP/2 connection may have open at once on the collector gRPC listener (SETTINGS_MAX_CONCURRENT_STREAMS); more are refused with REFUSED_STREAM',
    default: String(SERVER_DEFAULTS.http2MaxStreams),
  }).default(SERVER_DEFAULTS.http2MaxStreams),
  TO11_AUTH_FAILURE_LIMIT: setting(z.coerce.number().int().min(0), {
    description:
      'Failed authentications (and token exchanges) one client address may make per `TO11_AUTH_FAILURE_WINDOW_S`; past it 429 with `Retry-After`; `0` turns the limit off',
    default: String(SERVER_DEFAULTS.authFailureLimit),
  }).default(SERVER_DEFAULTS.authFailureLimit),
  TO11_AUTH_FAILURE_WINDOW_S: setting(z.coerce.number().int().min(1), {
    description: 'Seconds in which a spent allowance of failed authentications refills',
    default: String(SERVER_DEFAULTS.authFailureWindowSeconds),
  }).default(SERVER_DEFAULTS.authFailureWindowSeconds),
});

/** The server settings after validation. */
export type ServerEnv = z.output<typeof serverEnvSchema>;

/** The same settings as the servers use them. */
export interface ServerSettings {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  idleTimeoutMs: number;
  /** SETTINGS_MAX_CONCURRENT_STREAMS of the HTTP/2 listener. */
  http2MaxStreams: number;
  authFailureLimit: number;
  authFailureWindowMs: number;
}

/** {@link ServerSettings} from a validated environment. */
export function serverSettings(env: ServerEnv): ServerSettings {
  return {
    headersTimeoutMs: env.TO11_HTTP_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: env.TO11_HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: env.TO11_HTTP_KEEP_ALIVE_TIMEOUT_MS,
    idleTimeoutMs: env.TO11_HTTP_IDLE_TIMEOUT_MS,
    http2MaxStreams: env.TO11_HTTP2_MAX_CONCURRENT_STREAMS,
    authFailureLimit: env.TO11_AUTH_FAILURE_LIMIT,
    authFailureWindowMs: env.TO11_AUTH_FAILURE_WINDOW_S * 1000,
  };
}

/**
 * The `node:http` server options of `settings`. Node checks header and request timeouts on a
 * timer (30 s by default); once a second keeps the bound close to the setting.
 */
export function nodeServerOptions(settings: ServerSettings) {
  return {
    headersTimeout: Math.min(settings.headersTimeoutMs, settings.requestTimeoutMs),
    requestTimeout: settings.requestTimeoutMs,
    keepAliveTimeout: settings.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.min(1_000, settings.headersTimeoutMs),
  };
}

/**
 * Closes the connections of `server` whose keep-alive or idle timer fired only when nothing
 * arrived meanwhile, instead of node's immediate `socket.destroy()` (issue 16).
 *
 * Node runs that destroy from the timers phase, which libuv runs at the end of a turn of the
 * event loop, after its I/O callbacks: a request that reached the kernel during that turn is
 * still unread, and closing a socket with unread data makes the kernel reset the connection
 * (`TcpExtTCPAbortOnClose`) instead of closing it with a FIN. The client, which wrote on an open
 * connection, meets `ECONNRESET`; under load a turn lasts tens of milliseconds, so the overload
 * benches saw a few per run. A `'timeout'` listener on the server takes that decision from node;
 * this one waits for the next poll phase (`setImmediate`) and closes only if no byte arrived
 * since the timer fired. What arrived is read, and a new request re-arms its own timers as
 * usual (a partial one stays bounded by the headers and request timeouts). (A request still crossing the server's FIN is the client's to avoid: the
 * answers announce `Keep-Alive: timeout=` one second under the real one.)
 */
export function closeTimedOutConnectionsAfterPoll(server: Server): void {
  server.on('timeout', (socket: Socket) => {
    const read = socket.bytesRead;
    setImmediate(() => {
      if (!socket.destroyed && socket.bytesRead === read) socket.destroy();
    });
  });
}

/** The settings when nothing is configured (a config built by hand, in tests). */
export const DEFAULT_SERVER_SETTINGS: ServerSettings = serverSettings(serverEnvSchema.parse({}));
