import { createServer as createHttpServer } from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo, Server } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import {
  closeTimedOutConnectionsAfterPoll,
  DEFAULT_SERVER_SETTINGS,
  nodeServerOptions,
} from '@to11/config';
import {
  createSpanForwarder,
  type ExportMetricFamily,
  exportMetricFamilies,
  forwardingWriter,
} from '@to11/forward';
import { AuthFailureLimiter, type Store } from '@to11/store';
import { shareAuthFailures } from '@to11/store/auth-failure-sharing';
import { closeRedis, openRedis } from '@to11/store/redis';
import { TraceService } from '@to11/trace-core';
import type { Logger } from 'pino';
import { type Admission, createAdmission } from './admission.ts';
import type { CollectorConfig } from './config.ts';
import { createTraceExporter, type RefusalReason, type TraceExporter } from './export-traces.ts';
import { boundHttp2Clients } from './grpc/http2-bounds.ts';
import { createTraceServiceHandler } from './grpc/trace-service-handler.ts';
import { createHttpApp } from './http/app.ts';
import { discardingUnreadBodies } from './http/unread-body.ts';
import { acceptApiKeys } from './ingest-credentials.ts';
import { createIngestTokens } from './ingest-token.ts';

/** What `startCollector` needs; the caller owns (opens and closes) the store. */
export interface StartCollectorOptions {
  config: CollectorConfig;
  store: Store;
  logger: Logger;
  /** HS256 secret for ingest tokens, from `resolveTokenSecret`. */
  tokenSecret: string;
}

/** A running collector. */
export interface RunningCollector {
  /** OTLP/gRPC (h2c) base URL, e.g. `http://127.0.0.1:4317`. */
  grpcUrl: string;
  /** OTLP/HTTP + API base URL, e.g. `http://127.0.0.1:4318`. */
  httpUrl: string;
  /**
   * Graceful shutdown (SPEC §8): stop accepting, finish in-flight exports, flush every queued
   * span. Connections still open after `SHUTDOWN_GRACE_MS` are cut. Idempotent.
   */
  close(): Promise<void>;
}

const SHUTDOWN_GRACE_MS = 25_000;
/** Longest the span forwarder exports at shutdown, after the store flush. */
const FORWARD_FLUSH_TIMEOUT_MS = 5_000;
const TRACE_SERVICE_PATH = `/${TraceService.typeName}/`;
const FLUSH_INTERVAL_MS = 20;
const UNREAD_STREAM_RESET_MS = 500;
const IDLE_SWEEP_MS = 25;

/** Starts both listeners: OTLP/gRPC on `grpcPort`, OTLP/HTTP and the APIs on `httpPort`. */
export async function startCollector(options: StartCollectorOptions): Promise<RunningCollector> {
  const { config, store, logger } = options;
  const tokens = acceptApiKeys(createIngestTokens(options.tokenSecret), store);
  // Exports wait for their commit, so a short batching delay keeps acknowledgements quick; under
  // load batches fill by size long before it.
  const storeWriter = store.spans.createWriter({
    maxQueuedSpans: config.maxQueuedSpans,
    maxBatchSpans: config.batchSpans,
    flushIntervalMs: FLUSH_INTERVAL_MS,
    ...(config.writeConcurrency === undefined ? {} : { concurrency: config.writeConcurrency }),
  });
  // Every committed span is also forwarded to the configured OTLP endpoints (never awaited).
  const forwarder =
    config.forward === undefined ? undefined : createSpanForwarder({ ...config.forward, logger });
  const writer =
    forwarder === undefined
      ? storeWriter
      : forwardingWriter(storeWriter, forwarder, FORWARD_FLUSH_TIMEOUT_MS);
  const exporter = createTraceExporter({
    writer,
    limits: {
      maxAttributesPerSpan: config.maxAttributesPerSpan,
      maxAttributeValueLength: config.maxAttributeValueLength,
    },
    ackTimeoutMs: config.ackTimeoutMs,
    logger,
  });

  const admission = createAdmission(config.maxConcurrentExports);
  const server = config.server ?? DEFAULT_SERVER_SETTINGS;
  const authFailures = new AuthFailureLimiter({
    limit: server.authFailureLimit,
    windowMs: server.authFailureWindowMs,
  });
  const grpcHandler = createTraceServiceHandler({
    exporter,
    admission,
    tokens,
    readMaxBytes: config.maxBodyBytes,
    authFailures,
  });
  const grpcServer = http2.createServer(
    { settings: { maxConcurrentStreams: server.http2MaxStreams } },
    (req, res) => {
      endStreamAfterAnswer(req, res);
      grpcHandler(req, res);
    },
  );
  // An HTTP/2 session with no frames moving for this long is closed too.
  grpcServer.setTimeout(server.idleTimeoutMs);
  boundHttp2Clients(grpcServer, server);
  const sessions = new Set<http2.ServerHttp2Session>();
  grpcServer.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });

  const redis = config.redis ? openRedis(config.redis, logger) : undefined;
  const stopSharingAuthFailures = redis
    ? shareAuthFailures(authFailures, redis, config.redisKeyPrefix, logger)
    : undefined;
  const app = createHttpApp({
    store,
    tokens,
    exporter,
    admission,
    maxBodyBytes: config.maxBodyBytes,
    logger,
    ...(redis ? { shared: { redis, keyPrefix: config.redisKeyPrefix, logger } } : {}),
    exportMetrics: () => [
      ...exportMetricFamilies(forwarder?.stats() ?? []),
      refusalFamily(exporter, admission),
    ],
    authFailures,
  });
  // Connect and gRPC-web work over HTTP/1.1 too (browsers, curl): the HTTP listener hands the
  // TraceService path to the same connect handler and everything else to the Hono app.
  // Node discards a body the app did not read (`http/unread-body.ts`), not Hono's 500 ms clean-up.
  const honoListener = getRequestListener(app.fetch, { autoCleanupIncoming: false });
  const appListener = discardingUnreadBodies((req, res) => {
    void honoListener(req, res);
  }, config.maxBodyBytes);
  const httpServer = createHttpServer(nodeServerOptions(server), (req, res) => {
    if (req.url?.startsWith(TRACE_SERVICE_PATH)) grpcHandler(req, res);
    else appListener(req, res);
  });
  // A connection where nothing moves (a client that stopped reading its answer) is closed.
  httpServer.setTimeout(server.idleTimeoutMs);
  // A request that arrived as that timer or the keep-alive one fired is read, not reset.
  closeTimedOutConnectionsAfterPoll(httpServer);

  let grpcPort: number;
  let httpPort: number;
  try {
    grpcPort = await listen(grpcServer, config.grpcPort, config.host);
    httpPort = await listen(httpServer, config.httpPort, config.host);
  } catch (error) {
    // A port in use, say: undo what started, so the caller can report and exit cleanly.
    if (grpcServer.listening) grpcServer.close();
    if (httpServer.listening) httpServer.close();
    await writer.close();
    stopSharingAuthFailures?.();
    if (redis) await closeRedis(redis);
    throw error;
  }

  let closing: Promise<void> | undefined;
  const shutdown = async (): Promise<void> => {
    const grpcClosed = new Promise<void>((resolve) => grpcServer.close(() => resolve()));
    for (const session of sessions) session.close();
    const httpClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
    // Keep-alive connections become idle as their last answer goes out: close them then.
    httpServer.closeIdleConnections();
    const idleSweep = setInterval(() => httpServer.closeIdleConnections(), IDLE_SWEEP_MS);
    const timer = setTimeout(() => {
      logger.warn('collector shutdown grace period over: closing remaining connections');
      httpServer.closeAllConnections();
      for (const session of sessions) session.destroy();
    }, SHUTDOWN_GRACE_MS);
    timer.unref();
    await Promise.all([grpcClosed, httpClosed]);
    clearTimeout(timer);
    clearInterval(idleSweep);
    await exporter.close(SHUTDOWN_GRACE_MS);
    stopSharingAuthFailures?.();
    if (redis) await closeRedis(redis);
    logger.info('collector stopped');
  };

  return {
    grpcUrl: urlOf(config.host, grpcPort),
    httpUrl: urlOf(config.host, httpPort),
    close() {
      closing ??= shutdown();
      return closing;
    },
  };
}

/**
 * A gRPC answer sent before the request was read whole (RESOURCE_EXHAUSTED over readMaxBytes)
 * leaves the client blocked on flow control with the stream open, which would also hold up a
 * graceful shutdown. Once the client has had time to read the answer, reset that stream.
 */
function endStreamAfterAnswer(req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) {
  res.stream.once('finish', () => {
    if (req.readableEnded) return;
    const timer = setTimeout(() => {
      if (!res.stream.destroyed) res.stream.destroy();
    }, UNREAD_STREAM_RESET_MS);
    timer.unref();
    res.stream.once('close', () => clearTimeout(timer));
  });
}

function listen(server: Server, port: number, host: string) {
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function urlOf(host: string, port: number): string {
  return host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

/** `to11_collector_exports_refused_total{reason}`: exports answered 503 / UNAVAILABLE. */
function refusalFamily(exporter: TraceExporter, admission: Admission): ExportMetricFamily {
  const refusals = exporter.refusals();
  const reasons: RefusalReason[] = ['overflow', 'timeout', 'store', 'closing'];
  return {
    type: 'counter',
    name: 'to11_collector_exports_refused_total',
    help: 'Exports answered 503 / UNAVAILABLE with Retry-After, by reason (concurrency: TO11_COLLECTOR_MAX_CONCURRENT_EXPORTS, overflow: span queue full, timeout: commit slower than the ack wait, store: store down, closing: shutting down).',
    series: [
      { labels: { reason: 'concurrency' }, value: admission.refused },
      ...reasons.map((reason) => ({ labels: { reason }, value: refusals.get(reason) ?? 0 })),
    ],
  };
}
