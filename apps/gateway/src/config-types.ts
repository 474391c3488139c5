/**
 * The resolved gateway configuration: what {@link loadGatewayConfig} returns and what the app
 * runs on. Credentials are {@link Secret}s so the object can be logged without leaking them.
 */
import type {
  EndpointKind,
  ForwardSettings,
  LogLevel,
  RedisTarget,
  RoutingStrategy,
  ServerSettings,
} from '@to11/config';
import type { LimitSettings } from '@to11/store';
import type { CacheSettings } from './cache/settings.ts';
import type { GuardrailSettings } from './guardrails/settings.ts';
import type { WireFormat } from './providers/types.ts';
import type { Secret } from './secret.ts';

/** How a provider expects its key. */
export type AuthType = 'bearer' | 'api_key_header' | 'query_param';

/** One upstream provider, built in (`openai`, `anthropic`) or declared in `to11.toml`. */
export interface ProviderSettings {
  id: string;
  /** Wire format of its API: OpenAI-compatible or Anthropic Messages. */
  format: WireFormat;
  /** Base URL including the version path, no trailing slash (`https://api.openai.com/v1`). */
  baseUrl: string;
  /** Models listed in `to11.toml` (exact names, looked up before the built-in patterns). */
  models: string[];
  /** Managed credential (`env::VAR`); wins over the caller's key (reference §8.6). */
  credential: Secret | null;
  timeoutMs: number | null;
  authType: AuthType;
  /** Header for `api_key_header` auth. */
  authHeaderName: string;
  /** Query parameter for `query_param` auth. */
  authQueryName: string;
  /** Active unless an environment says otherwise (`enabled = false`: only where enabled). */
  enabled: boolean;
  /** Inject `traceparent` upstream (SPEC §5); `propagate_trace = false` turns it off. */
  propagateTrace: boolean;
  builtin: boolean;
}

/** Retry policy of managed routes (reference §8.4). */
export interface RetryPolicy {
  maxRetries: number;
  backoffBaseMs: number;
}

/** One `[targets.<name>]`: a model on a provider, with an optional managed credential. */
export interface TargetSettings {
  name: string;
  providerId: string;
  /** The model sent upstream (any `provider::` prefix removed). */
  model: string;
  credential: Secret | null;
  weight: number;
  timeoutMs: number | null;
}

/** One candidate of a step: a target, its weight and, in an experiment, its variant. */
export interface StepMember {
  target: string;
  weight: number;
  /** The experiment variant this target serves (`experiment` steps only). */
  variant?: string;
}

/** One step of a route or function: a strategy over its members (reference §8.3). */
export interface StepSettings {
  strategy: RoutingStrategy;
  members: StepMember[];
}

/**
 * One `[routes.<name>]` or `[functions.<name>]` (or the implicit single route of a bare
 * target). Its steps run as a fallback chain; a route without `steps` has one.
 */
export interface RouteSettings {
  name: string;
  /** `function` for `[functions.*]` (L3), `route` otherwise (L2). */
  layer: 'route' | 'function';
  /** Endpoint kind matched; null for the implicit route of a bare target (any kind). */
  endpoint: EndpointKind | null;
  /** Model names routed here (a function's routing key is its name). */
  models: string[];
  /** The strategy named on the route (`steps` when it has several steps). */
  strategy: RoutingStrategy | 'steps';
  steps: StepSettings[];
  /** Experiment name of `experiment` steps. */
  experiment: string;
  retry: RetryPolicy;
}

/** `[limits]` of to11.toml: defaults for subjects without stored limits, and the Redis policy. */
export interface LimitsConfig {
  /** Redis unreachable: `open` serves unchecked, `closed` refuses with 503 `overloaded`. */
  onRedisError: 'open' | 'closed';
  keyDefaults: LimitSettings;
  projectDefaults: LimitSettings;
}

/** What requests are routed by in one environment. */
export interface RoutingView {
  providers: ProviderSettings[];
  targets: Record<string, TargetSettings>;
  /** Functions and routes (functions first). */
  routes: RouteSettings[];
}

/** Everything the gateway needs to run. */
export interface GatewayConfig {
  host: string;
  port: number;
  /** Processes serving the port (`TO11_GATEWAY_WORKERS`); above 1, `main.ts` runs a cluster. */
  workers: number;
  captureContent: boolean;
  /** Longest captured content value, in UTF-8 bytes, marker included. */
  maxContentBytes: number;
  /** Upstream timeout when no target, model or provider sets one. */
  defaultTimeoutMs: number;
  modelTimeouts: Record<string, number>;
  providers: ProviderSettings[];
  targets: Record<string, TargetSettings>;
  routes: RouteSettings[];
  retry: RetryPolicy;
  /** `[guardrails]`: the detector pipeline of every GenAI request. */
  guardrails: GuardrailSettings;
  /** `[cache]`: the exact-match answer cache. */
  cache: CacheSettings;
  /**
   * The routing of each environment (`x-to11-env`, reference §10.5), `prod` always present;
   * an environment without a view routes like `prod`.
   */
  environments: Record<string, RoutingView>;
  /** Store location for the standalone process (`main.ts`). */
  databaseUrl: string | undefined;
  dataDir: string;
  /** The embedded store's engine (TO11_EMBEDDED_ENGINE). */
  embeddedEngine: 'postgres' | 'pglite';
  /**
   * `REDIS_URL` or `REDIS_CLUSTER_NODES`: shared limits, budgets, caches and revocation; unset =
   * per process.
   */
  redis: RedisTarget | undefined;
  /** `TO11_REDIS_KEY_PREFIX`: prefix of every Redis key and channel. */
  redisKeyPrefix: string;
  limits: LimitsConfig;
  /** `TO11_GATEWAY_MAX_IN_FLIGHT`: past it a `/v1/*` call is answered 503 `overloaded`. */
  /** `TO11_UPSTREAM_STREAM_IDLE_TIMEOUT_MS`: longest silence of a started upstream stream. */
  streamIdleTimeoutMs: number;
  maxInFlight: number;
  /** `TO11_GATEWAY_SPAN_BUFFER`: spans held in memory through a store outage. */
  spanBufferSpans: number;
  /** `TO11_GATEWAY_SHUTDOWN_GRACE_MS`: SIGTERM's wait for in-flight calls. */
  shutdownGraceMs: number;
  bootstrapApiKey: string | undefined;
  logLevel: LogLevel;
  /**
   * `TO11_EXPORT_OTLP_*` and `[[export.otlp]]`: where every stored span is also forwarded;
   * unset forwards nothing.
   */
  forward?: ForwardSettings | undefined;
  /** HTTP server timeouts and the failed-auth limit; `SERVER_DEFAULTS` when absent. */
  server?: ServerSettings;
}
