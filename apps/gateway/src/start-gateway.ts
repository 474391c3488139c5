/**
 * `startGateway({ config, store, logger })`: serves the app on `config.host:config.port`
 * (port 0 picks a free one). `close()` is the graceful SIGTERM path (SPEC §8): stop accepting,
 * let in-flight calls and streams finish, then flush every span to the store.
 */

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import {
  closeTimedOutConnectionsAfterPoll,
  DEFAULT_SERVER_SETTINGS,
  nodeServerOptions,
} from '@to11/config';
import type { SpanWriterOptions, Store } from '@to11/store';
import { shareAuthFailures } from '@to11/store/auth-failure-sharing';
import type { Logger } from 'pino';
import { createApp, createAppDeps } from './app.ts';
import { semanticStore } from './cache/semantic-cache.ts';
import type { GatewayConfig } from './config-types.ts';
import { admitting } from './middleware/admission.ts';
import { subscribeRevocations } from './shared-state/key-revocations.ts';
import { closeRedis, redisReady } from './shared-state/redis.ts';
import type { GatewayMetrics } from './telemetry/gateway-metrics.ts';

/** Longest wait at start for Redis (`REDIS_URL`); past it the gateway starts without it. */
const REDIS_READY_TIMEOUT_MS = 2_000;

/** Longest wait for the span writer to flush at shutdown. */
const FLUSH_TIMEOUT_MS = 10_000;
/** How often idle keep-alive connections are closed while draining. */
const IDLE_SWEEP_MS = 25;
/** Longest wait, after the grace period, for the cut calls to record their spans. */
const CUT_SETTLE_MS = 1_000;

/** A running gateway. */
export interface StartedGateway {
  /** `http://host:port`. */
  url: string;
  port: number;
  /**
   * Stops accepting, waits for in-flight requests (at most `graceMs`, default
   * `TO11_GATEWAY_SHUTDOWN_GRACE_MS`), cuts and logs the rest, flushes spans.
   */
  close(graceMs?: number): Promise<void>;
  /** Serves requests that start from now on with `config` (live reload, `config-reload.ts`). */
  applyConfig(config: GatewayConfig): void;
  /** The process's metric registry (`/metrics`). */
  metrics: GatewayMetrics;
  /** In a cluster worker: `listener` runs when the primary orders a reload. */
  onPrimaryReload(listener: (generation: number) => void): void;
}

/** Starts the gateway. */
export async function startGateway(options: {
  config: GatewayConfig;
  store: Store;
  logger: Logger;
  writerOptions?: SpanWriterOptions;
  /** This process is one worker of a gateway cluster: `/metrics` sums every worker's. */
  clusterWorker?: boolean;
  /** The clock of limit windows (tests); `Date.now` otherwise. */
  limitClock?: () => number;
  /** How long limit settings are cached; default 5 s. */
  limitSettingsTtlMs?: number;
}): Promise<StartedGateway> {
  const deps = createAppDeps(options);
  const stopRevocations = deps.redis
    ? subscribeRevocations(deps.redis, options.config.redisKeyPrefix, options.store, options.logger)
    : undefined;
  const stopSharingAuthFailures =
    deps.redis && deps.authFailures
      ? shareAuthFailures(
          deps.authFailures,
          deps.redis,
          options.config.redisKeyPrefix,
          options.logger,
        )
      : undefined;
  if (deps.redis && !(await redisReady(deps.redis, REDIS_READY_TIMEOUT_MS))) {
    options.logger.warn('redis not ready at start: shared state unavailable until it connects');
  }
  if (options.config.cache.semantic) await semanticStore(deps, options.config.cache.semantic);
  const app = createApp(deps);
  const settings = options.config.server ?? DEFAULT_SERVER_SETTINGS;
  // The limit and the shutdown refusal answer before the app (`middleware/admission.ts`).
  const honoListener = getRequestListener(app.fetch, { hostname: options.config.host });
  const server = createServer(nodeServerOptions(settings), admitting(deps, honoListener));
  server.listen(options.config.port, options.config.host);
  // A connection where nothing moves (a client that stopped reading its answer) is closed.
  server.setTimeout(settings.idleTimeoutMs);
  // A request that arrived as that timer or the keep-alive one fired is read, not reset.
  closeTimedOutConnectionsAfterPoll(server);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.config.host.includes(':') ? `[${options.config.host}]` : options.config.host;
  let closing: Promise<void> | null = null;
  const close = async (graceMs = options.config.shutdownGraceMs): Promise<void> => {
    server.close();
    deps.inFlight.drain();
    // Keep-alive connections go as they become idle (a call that still comes on one is refused).
    const idleSweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([deps.inFlight.idle(), grace]);
    clearTimeout(timer);
    clearInterval(idleSweep);
    if (deps.inFlight.refused > 0) {
      options.logger.info(
        { refused: deps.inFlight.refused },
        'shutdown: calls that arrived while draining were refused',
      );
    }
    const cut = deps.inFlight.count;
    if (cut > 0) {
      options.logger.warn({ cut, graceMs }, 'shutdown grace over: in-flight calls cut');
    }
    server.closeAllConnections();
    // The cut calls end as their sockets close: let them submit their spans before the flush.
    if (cut > 0) {
      await Promise.race([
        deps.inFlight.idle(),
        new Promise((resolve) => setTimeout(resolve, CUT_SETTLE_MS).unref()),
      ]);
    }
    // Flush every span, but an unreachable store must not keep the process from exiting.
    const flushed = await Promise.race([
      deps.writer.close().then(() => true),
      new Promise<boolean>((resolve) => setTimeout(resolve, FLUSH_TIMEOUT_MS, false).unref()),
    ]);
    if (!flushed) {
      const lost = deps.writer.queuedSpans;
      deps.metrics.spansDropped.inc({}, lost);
      options.logger.warn({ lost }, 'span flush timed out at shutdown: spans lost');
    }
    deps.cluster?.close();
    await stopRevocations?.();
    stopSharingAuthFailures?.();
    if (deps.redis) await closeRedis(deps.redis);
  };
  return {
    url: `http://${host}:${port}`,
    port,
    close: (graceMs) => {
      closing ??= close(graceMs);
      return closing;
    },
    applyConfig: (config) => {
      // Each request reads deps.config once, when it resolves its route plan.
      deps.config = config;
      deps.limits.applyConfig(config.limits);
      if (deps.forwarder?.replace(config.forward)) {
        deps.logger.info(
          { endpoints: config.forward?.targets.length ?? 0 },
          'span forwarding reconfigured',
        );
      }
    },
    metrics: deps.metrics,
    onPrimaryReload: (listener) => {
      if (deps.cluster) deps.cluster.onReload = listener;
    },
  };
}
