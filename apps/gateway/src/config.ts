/**
 * Gateway configuration: environment variables (SPEC §2) plus the optional `to11.toml`
 * (`TO11_CONFIG`), validated once at start with the `@to11/config` schemas. Invalid
 * configuration throws one `ConfigError` listing every problem, each with its key. Nothing else
 * in the gateway reads `process.env`.
 */
import { availableParallelism } from 'node:os';
import type { LimitDefaultsSection } from '@to11/config';
import {
  ConfigError,
  type ConfigFile,
  type ConfigIssue,
  type Env,
  flagIsOn,
  forwardSettings,
  GATEWAY_DEFAULTS,
  type GatewayEnv,
  gatewayEnvSchema,
  MAX_GATEWAY_WORKERS,
  parseEnv,
  readConfigFile,
  redisTargetOf,
  serverSettings,
  throwIfAny,
} from '@to11/config';
import type { LimitSettings } from '@to11/store';
import { resolveCache } from './cache/settings.ts';
import { resolveProviders, resolveRouting } from './config-routing.ts';
import type { GatewayConfig, ProviderSettings, RouteSettings } from './config-types.ts';
import { resolveGuardrails } from './guardrails/settings.ts';
import { resolvePassthrough, splitModelPrefix } from './routing/provider-for-model.ts';

function workerCount(vars: GatewayEnv, issues: ConfigIssue[]): number {
  const workers =
    vars.TO11_GATEWAY_WORKERS === 'auto'
      ? Math.min(availableParallelism(), MAX_GATEWAY_WORKERS)
      : (vars.TO11_GATEWAY_WORKERS ?? 1);
  if (workers > 1 && !vars.DATABASE_URL) {
    issues.push({
      key: 'TO11_GATEWAY_WORKERS',
      message: 'more than one worker needs DATABASE_URL (the embedded store is single-process)',
    });
  }
  return workers;
}

function limitDefaults(section: LimitDefaultsSection | undefined): LimitSettings {
  return {
    requests_per_minute: section?.requests_per_minute ?? null,
    tokens_per_minute: section?.tokens_per_minute ?? null,
    usd_per_day: section?.usd_per_day ?? null,
    usd_per_month: section?.usd_per_month ?? null,
  };
}

/** A caller's `model` names a route or function, or a provider serves it. */
function servesModel(
  model: string,
  routes: readonly RouteSettings[],
  providers: ProviderSettings[],
): boolean {
  const split = splitModelPrefix(model);
  if (split?.prefix === 'function' || split?.prefix === 'route') {
    return routes.some((route) => route.layer === split.prefix && route.name === split.rest);
  }
  return (
    routes.some((route) => route.models.includes(model)) || !!resolvePassthrough(model, providers)
  );
}

/**
 * Reads and validates the gateway's configuration from `env` (pass `process.env`).
 * Throws `ConfigError` listing every problem of the environment and the file; the cross-checks
 * of the file (targets, routes, `env::` credentials) run once both are well-formed.
 */
export function loadGatewayConfig(env: Env): GatewayConfig {
  const parsedEnv = parseEnv(gatewayEnvSchema, env);
  const configPath = parsedEnv.ok ? parsedEnv.value.TO11_CONFIG : env.TO11_CONFIG || undefined;
  const parsedFile = configPath === undefined ? undefined : readConfigFile(configPath);
  if (!parsedEnv.ok || parsedFile?.ok === false) {
    throw new ConfigError([
      ...(parsedEnv.ok ? [] : parsedEnv.issues),
      ...(parsedFile?.ok === false ? parsedFile.issues : []),
    ]);
  }
  const vars = parsedEnv.value;
  const file: ConfigFile = parsedFile?.value ?? {};

  const issues: ConfigIssue[] = [];
  const report = (key: string, message: string): void => {
    issues.push({ key, message, file: configPath ?? 'to11.toml' });
  };
  const providers = resolveProviders(file, {
    openaiBaseUrl: vars.TO11_OPENAI_BASE_URL,
    anthropicBaseUrl: vars.TO11_ANTHROPIC_BASE_URL,
    env,
    report,
  });
  const routing = resolveRouting(file, providers, { env, report });
  const embeddingsModel = file.cache?.semantic?.model;
  if (embeddingsModel !== undefined && !servesModel(embeddingsModel, routing.routes, providers)) {
    report('cache.semantic.model', `"${embeddingsModel}" is not served by any route or provider`);
  }
  const workers = workerCount(vars, issues);
  const redis = redisTargetOf(vars, issues);
  throwIfAny(issues);

  const capture = vars.TO11_CAPTURE_CONTENT;
  return {
    host: vars.TO11_GATEWAY_HOST ?? file.server?.host ?? GATEWAY_DEFAULTS.host,
    port: vars.TO11_GATEWAY_PORT ?? file.server?.port ?? GATEWAY_DEFAULTS.port,
    workers,
    captureContent:
      capture !== undefined
        ? flagIsOn(capture)
        : (file.genai_telemetry?.capture_content ?? GATEWAY_DEFAULTS.captureContent),
    maxContentBytes:
      vars.TO11_CAPTURE_CONTENT_MAX_BYTES ??
      file.genai_telemetry?.max_content_bytes ??
      GATEWAY_DEFAULTS.maxContentBytes,
    defaultTimeoutMs:
      vars.TO11_UPSTREAM_TIMEOUT_MS ??
      file.defaults?.provider?.timeout_ms ??
      GATEWAY_DEFAULTS.timeoutMs,
    modelTimeouts: Object.fromEntries(
      Object.entries(file.models ?? {}).map(([name, section]) => [name, section.timeout_ms]),
    ),
    providers,
    ...routing,
    guardrails: resolveGuardrails(file),
    cache: resolveCache(file),
    databaseUrl: vars.DATABASE_URL,
    dataDir: vars.TO11_DATA_DIR,
    embeddedEngine: vars.TO11_EMBEDDED_ENGINE,
    redis,
    redisKeyPrefix: vars.TO11_REDIS_KEY_PREFIX,
    limits: {
      onRedisError: file.limits?.on_redis_error ?? 'open',
      keyDefaults: limitDefaults(file.limits?.key),
      projectDefaults: limitDefaults(file.limits?.project),
    },
    streamIdleTimeoutMs:
      vars.TO11_UPSTREAM_STREAM_IDLE_TIMEOUT_MS ?? GATEWAY_DEFAULTS.streamIdleTimeoutMs,
    maxInFlight: vars.TO11_GATEWAY_MAX_IN_FLIGHT ?? GATEWAY_DEFAULTS.maxInFlight,
    spanBufferSpans: vars.TO11_GATEWAY_SPAN_BUFFER ?? GATEWAY_DEFAULTS.spanBufferSpans,
    shutdownGraceMs: vars.TO11_GATEWAY_SHUTDOWN_GRACE_MS ?? GATEWAY_DEFAULTS.shutdownGraceMs,
    bootstrapApiKey: vars.TO11_BOOTSTRAP_API_KEY,
    logLevel: vars.TO11_LOG_LEVEL,
    forward: forwardSettings(vars, file.export, env),
    server: serverSettings(vars),
  };
}
