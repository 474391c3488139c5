/**
 * `createApp(deps)`: the gateway's Hono app. `/health` and `/metrics` are open; every `/v1/*`
 * request goes through request id → trace → auth (trace before auth so that a 401 carries
 * `traceparent` too), then its route, all in one handler per route (`middleware/trace.ts`; an
 * unknown `/v1/*` endpoint runs the same chain to its 404). Errors render in the caller's SDK
 * envelope. The
 * concurrency limit and the shutdown refusal come before the app, in the node request listener
 * (`middleware/admission.ts`, wired by `start-gateway.ts`).
 */
import { DEFAULT_SERVER_SETTINGS } from '@to11/config';
import { exportMetricFamilies, forwardingWriter, ReloadableForwarder } from '@to11/forward';
import {
  AuthFailureLimiter,
  type SpanWriter,
  type SpanWriterOptions,
  type Store,
} from '@to11/store';
import { type Context, type Handler, Hono } from 'hono';
import type { Logger } from 'pino';
import { WorkerLink } from './cluster/worker-link.ts';
import type { GatewayConfig } from './config-types.ts';
import type { AppDeps, AppEnv } from './env.ts';
import { dialectForPath, errorResponse, GatewayError } from './errors.ts';
import { InFlight } from './in-flight.ts';
import { MemoryLimitCounters } from './limits/limit-counters.ts';
import { LimitSettingsCache } from './limits/limit-settings-cache.ts';
import { RedisLimitCounters } from './limits/redis-limit-counters.ts';
import { RequestLimits } from './limits/request-limits.ts';
import { authenticator } from './middleware/auth.ts';
import { type ErrorRenderer, traced } from './middleware/trace.ts';
import { audioSpeech } from './routes/audio-speech.ts';
import { audioTranscriptions } from './routes/audio-transcriptions.ts';
import { chatCompletions } from './routes/chat-completions.ts';
import { countTokens } from './routes/count-tokens.ts';
import { embeddings } from './routes/embeddings.ts';
import { health } from './routes/health.ts';
import { imageGenerations } from './routes/images.ts';
import { messages } from './routes/messages.ts';
import { metrics } from './routes/metrics.ts';
import { models } from './routes/models.ts';
import { responses } from './routes/responses.ts';
import { openRedis } from './shared-state/redis.ts';
import { GatewayMetrics } from './telemetry/gateway-metrics.ts';
import { StoreSpanSink } from './telemetry/span-sink.ts';

/** Longest the span forwarder exports at shutdown, after the store flush. */
const FORWARD_FLUSH_TIMEOUT_MS = 5_000;

/** The `to11_export_*` series; none until an endpoint has been configured. */
function forwardingMetrics(forwarder: ReloadableForwarder) {
  const stats = forwarder.stats();
  return stats.length === 0 ? [] : exportMetricFamilies(stats);
}

/** Builds the app's dependencies around one span writer of `store`. */
export function createAppDeps(options: {
  config: GatewayConfig;
  store: Store;
  logger: Logger;
  /** Span buffer and batching of the store writer (its defaults otherwise). */
  writerOptions?: SpanWriterOptions;
  /** This process is one worker of a gateway cluster (see `cluster/primary.ts`). */
  clusterWorker?: boolean;
  /** The clock of limit windows (tests move it to the next window); `Date.now` otherwise. */
  limitClock?: () => number;
  /** How long limit settings are cached; default 5 s. */
  limitSettingsTtlMs?: number;
}): AppDeps & { writer: SpanWriter } {
  // Spans wait in the bounded buffer through a store outage, retried until it overflows.
  const storeWriter = options.store.spans.createWriter({
    retryDelayMs: 500,
    maxQueuedSpans: options.config.spanBufferSpans,
    ...options.writerOptions,
  });
  // Forwarding may start, change or stop on a live reload (`applyConfig`), so the writer always
  // hands committed spans over; with no endpoint it skips that at once.
  const forwarder = new ReloadableForwarder(options.config.forward, {
    logger: options.logger,
    drainMs: FORWARD_FLUSH_TIMEOUT_MS,
  });
  const writer = forwardingWriter(storeWriter, forwarder, FORWARD_FLUSH_TIMEOUT_MS);
  const server = options.config.server ?? DEFAULT_SERVER_SETTINGS;
  const authFailures = new AuthFailureLimiter({
    limit: server.authFailureLimit,
    windowMs: server.authFailureWindowMs,
  });
  const registry = new GatewayMetrics(
    () => writer.queuedSpans,
    () => [...forwardingMetrics(forwarder), ...authFailures.metricFamilies()],
  );
  const { config } = options;
  const redis = config.redis ? openRedis(config.redis, options.logger) : undefined;
  const limits = new RequestLimits({
    config: config.limits,
    settings: new LimitSettingsCache(
      options.store,
      { key: config.limits.keyDefaults, project: config.limits.projectDefaults },
      options.limitSettingsTtlMs,
    ),
    counters: redis ? new RedisLimitCounters(redis) : new MemoryLimitCounters(),
    keyPrefix: config.redisKeyPrefix,
    metrics: registry,
    logger: options.logger,
    now: options.limitClock ?? Date.now,
  });
  return {
    config: options.config,
    store: options.store,
    logger: options.logger,
    writer,
    forwarder,
    metrics: registry,
    sink: new StoreSpanSink(writer, registry, options.logger),
    inFlight: new InFlight(),
    limits,
    authFailures,
    ...(redis ? { redis } : {}),
    // With Redis the workers share failed authentications there (`start-gateway.ts`).
    ...(options.clusterWorker
      ? { cluster: new WorkerLink(registry, redis ? undefined : authFailures) }
      : {}),
  };
}

/** The app's error handler: a {@link GatewayError} in its envelope, anything else logged and `internal`. */
function errorRenderer(deps: AppDeps): ErrorRenderer {
  return (error, c) => {
    const dialect = dialectForPath(c.req.path);
    if (error instanceof GatewayError) return errorResponse(error, dialect);
    const { name, message } =
      error instanceof Error ? error : { name: 'Error', message: String(error) };
    deps.logger.error({ err: { name, message }, path: c.req.path }, 'unhandled error');
    return errorResponse(new GatewayError('internal', 'internal gateway error'), dialect);
  };
}

/** A path the `/v1/*` chain covers (as Hono's `/v1/*` pattern: `/v1` itself too). */
function isV1(path: string): boolean {
  return path === '/v1' || path.startsWith('/v1/');
}

/** The answer to an unknown endpoint. */
function notFound(c: Context<AppEnv>): Response {
  const error = new GatewayError('not_found', `unknown endpoint ${c.req.method} ${c.req.path}`);
  return errorResponse(error, dialectForPath(c.req.path));
}

/** The gateway app. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const renderError = errorRenderer(deps);
  const authenticate = authenticator(deps);
  const v1 = (handler: Handler<AppEnv>) => traced(deps, handler, renderError, authenticate);
  const v1NotFound = v1(notFound);
  app.get('/health', health());
  app.get('/metrics', metrics(deps));
  app.post('/v1/chat/completions', v1(chatCompletions(deps)));
  app.post('/v1/messages', v1(messages(deps)));
  app.post('/v1/messages/count_tokens', v1(countTokens(deps)));
  app.post('/v1/responses', v1(responses(deps)));
  app.post('/v1/embeddings', v1(embeddings(deps)));
  app.post('/v1/images/generations', v1(imageGenerations(deps)));
  app.post('/v1/audio/speech', v1(audioSpeech(deps)));
  app.post('/v1/audio/transcriptions', v1(audioTranscriptions(deps)));
  app.get('/v1/models', v1(models(deps)));
  // Unknown `/v1/*` endpoints get a request id, a trace and auth before their 404, as before.
  app.notFound((c) =>
    isV1(c.req.path) ? (v1NotFound(c, async () => {}) as Promise<Response>) : notFound(c),
  );
  app.onError(renderError);
  return app;
}
