/**
 * Collector configuration: the `@to11/config` collector schema over the environment, parsed
 * once at startup (SPEC §2), and the `[[export.otlp]]` tables of the `to11.toml` that
 * `TO11_CONFIG` names (the rest of the file is the gateway's). Nothing else in the collector
 * reads `process.env`.
 */
import {
  ConfigError,
  type ConfigIssue,
  collectorEnvSchema,
  type Env,
  type ForwardSettings,
  forwardSettings,
  type LogLevel,
  parseEnv,
  type RedisTarget,
  readConfigFile,
  redisTargetOf,
  type ServerSettings,
  serverSettings,
  throwIfAny,
} from '@to11/config';

/** The collector's settings, in the units the code uses. */
export interface CollectorConfig {
  /** Interface both listeners bind to (default 127.0.0.1). */
  host: string;
  /** OTLP/gRPC (h2c) port; 0 picks a free one. */
  grpcPort: number;
  /** OTLP/HTTP + token exchange + admin + read API port; 0 picks a free one. */
  httpPort: number;
  /** Largest request body after decompression, both protocols. */
  maxBodyBytes: number;
  /** Attributes kept per span (and per event, link, resource); the rest are dropped and counted. */
  maxAttributesPerSpan: number;
  /** Longest string attribute value kept, in characters; longer values are truncated. */
  maxAttributeValueLength: number;
  /** Spans waiting for the store at most; past it exports answer 503 / UNAVAILABLE. */
  maxQueuedSpans: number;
  /** Export requests in progress at most (both protocols); past it 503 / UNAVAILABLE at once. */
  maxConcurrentExports: number;
  /** Longest an export waits for its commit before answering 503 / UNAVAILABLE. */
  ackTimeoutMs: number;
  /** Spans per committed batch (concurrent exports share batches). */
  batchSpans: number;
  /** Batches written at once (connections); the store's default when undefined. */
  writeConcurrency: number | undefined;
  /** Postgres URL, or undefined for the embedded store in `dataDir`. */
  databaseUrl: string | undefined;
  /** The embedded store's directory and home of the generated token secret. */
  dataDir: string;
  /** The embedded store's engine (TO11_EMBEDDED_ENGINE). */
  embeddedEngine: 'postgres' | 'pglite';
  /**
   * `REDIS_URL` or `REDIS_CLUSTER_NODES`: key revocations are published to the gateways, limit
   * usage read there.
   */
  redis: RedisTarget | undefined;
  /** `TO11_REDIS_KEY_PREFIX`. */
  redisKeyPrefix: string;
  /** TO11_TOKEN_SECRET, when set. */
  tokenSecret: string | undefined;
  /** TO11_BOOTSTRAP_API_KEY, when set. */
  bootstrapApiKey: string | undefined;
  /** pino log level. */
  logLevel: LogLevel;
  /**
   * `TO11_EXPORT_OTLP_*` and `[[export.otlp]]`: where every stored span is also forwarded;
   * unset forwards nothing.
   */
  forward?: ForwardSettings | undefined;
  /** HTTP server timeouts and the failed-auth limit; `SERVER_DEFAULTS` when absent. */
  server?: ServerSettings;
}

/**
 * Parses the collector's environment. Empty strings count as unset.
 * @throws ConfigError naming every invalid key and why.
 */
export function loadCollectorConfig(env: Env): CollectorConfig {
  const parsed = parseEnv(collectorEnvSchema, env);
  if (!parsed.ok) throw new ConfigError(parsed.issues, 'invalid configuration');
  const e = parsed.value;
  const file = e.TO11_CONFIG === undefined ? undefined : readConfigFile(e.TO11_CONFIG);
  if (file?.ok === false) throw new ConfigError(file.issues, 'invalid configuration');
  const issues: ConfigIssue[] = [];
  const redis = redisTargetOf(e, issues);
  throwIfAny(issues, 'invalid configuration');
  return {
    host: e.TO11_COLLECTOR_HOST,
    grpcPort: e.TO11_COLLECTOR_GRPC_PORT,
    httpPort: e.TO11_COLLECTOR_HTTP_PORT,
    maxBodyBytes: e.TO11_COLLECTOR_MAX_BODY_BYTES,
    maxAttributesPerSpan: e.TO11_COLLECTOR_MAX_ATTRIBUTES,
    maxAttributeValueLength: e.TO11_COLLECTOR_MAX_ATTRIBUTE_LENGTH,
    maxQueuedSpans: e.TO11_COLLECTOR_MAX_QUEUED_SPANS,
    maxConcurrentExports: e.TO11_COLLECTOR_MAX_CONCURRENT_EXPORTS,
    ackTimeoutMs: e.TO11_COLLECTOR_ACK_TIMEOUT_MS,
    batchSpans: e.TO11_COLLECTOR_BATCH_SPANS,
    writeConcurrency: e.TO11_COLLECTOR_WRITE_CONCURRENCY,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.TO11_DATA_DIR,
    embeddedEngine: e.TO11_EMBEDDED_ENGINE,
    redis,
    redisKeyPrefix: e.TO11_REDIS_KEY_PREFIX,
    tokenSecret: e.TO11_TOKEN_SECRET,
    bootstrapApiKey: e.TO11_BOOTSTRAP_API_KEY,
    logLevel: e.TO11_LOG_LEVEL,
    forward: forwardSettings(e, file?.value.export, env),
    server: serverSettings(e),
  };
}
