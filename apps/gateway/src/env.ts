/**
 * The typed per-request context shared by every middleware and route, and the app's
 * dependencies.
 */
import type { ReloadableForwarder } from '@to11/forward';
import type { AuthFailureLimiter, Store } from '@to11/store';
import type { Logger } from 'pino';
import type { WorkerLink } from './cluster/worker-link.ts';
import type { GatewayConfig } from './config-types.ts';
import type { InFlight } from './in-flight.ts';
import type { RequestLimits } from './limits/request-limits.ts';
import type { SharedRedis } from './shared-state/redis.ts';
import type { GatewayMetrics } from './telemetry/gateway-metrics.ts';
import type { RequestTrace } from './telemetry/request-trace.ts';
import type { SpanSink } from './telemetry/span-sink.ts';

/** What the app is built from. */
export interface AppDeps {
  config: GatewayConfig;
  store: Store;
  logger: Logger;
  metrics: GatewayMetrics;
  sink: SpanSink;
  /** Forwarding of stored spans to the user's OTLP endpoints, replaced on a live reload. */
  forwarder?: ReloadableForwarder;
  inFlight: InFlight;
  /** The shared-state connection, with `REDIS_URL` or `REDIS_CLUSTER_NODES` (`shared-state/redis.ts`). */
  redis?: SharedRedis;
  /** Rate limits and budgets per key and project (`limits/`). */
  limits: RequestLimits;
  /** Set in a cluster worker: `/metrics` shows the sum over every worker. */
  cluster?: WorkerLink;
  /** Failed authentication per client address; absent, nothing is limited (unit tests). */
  authFailures?: AuthFailureLimiter;
}

/** Hono environment of the gateway app. */
export interface AppEnv {
  Variables: {
    requestId: string;
    trace: RequestTrace;
    /** Set by auth: the project every span of the request belongs to. */
    projectId: string;
    /** The presented to11 key, so it is never forwarded upstream as a provider key. */
    to11Key: string;
    /** Set by auth: the id of the presented key (its limits). */
    keyId: string;
  };
}
