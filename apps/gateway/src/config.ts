/**
 * Gateway configuration: environment variables (SPEC §2) plus the optional `to11.toml`
 * (`TO11_CONFIG`), validated once at start. Invalid configuration throws {@link ConfigError}
 * with one line naming the key and the reason. Nothing else in the gateway reads `process.env`.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';
import { type ConfigFile, configFileSchema } from './config-file.ts';
import { resolveProviders, resolveRouting } from './config-routing.ts';
import type { GatewayConfig } from './config-types.ts';

/** Invalid configuration; the message is one line naming the key and the reason. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Most gateway worker processes `TO11_GATEWAY_WORKERS` may ask for. */
const MAX_WORKERS = 64;

const booleanFlag = z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off']);

const envSchema = z.object({
  TO11_GATEWAY_HOST: z.string().min(1).optional(),
  TO11_GATEWAY_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  TO11_GATEWAY_WORKERS: z
    .union([z.literal('auto'), z.coerce.number().int().min(1).max(MAX_WORKERS)])
    .optional(),
  TO11_OPENAI_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  TO11_ANTHROPIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  TO11_CONFIG: z.string().min(1).optional(),
  TO11_CAPTURE_CONTENT: booleanFlag.optional(),
  TO11_CAPTURE_CONTENT_MAX_BYTES: z.coerce.number().int().min(64).optional(),
  TO11_UPSTREAM_TIMEOUT_MS: z.coerce.number().int().positive().optional(),
  TO11_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  TO11_DATA_DIR: z.string().min(1).optional(),
  TO11_BOOTSTRAP_API_KEY: z
    .string()
    .regex(
      /^to11_(live|test)_[A-Za-z0-9]{20,64}$/,
      'must look like to11_<live|test>_<20-64 alphanumerics>',
    )
    .optional(),
});

const DEFAULT_CONTENT_BYTES = 64 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;

function firstIssue(error: z.ZodError, prefix: string): ConfigError {
  const issue = error.issues[0];
  const path = issue ? issue.path.map(String).join('.') : '';
  const where = [prefix, path].filter((part) => part !== '').join(' ');
  return new ConfigError(`${where}: ${issue?.message ?? 'invalid'}`);
}

function emptyToUndefined(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

function readConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    throw new ConfigError(`TO11_CONFIG: cannot read ${path} (${reason})`);
  }
  let raw: unknown;
  try {
    raw = parseToml(text);
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : 'syntax error';
    throw new ConfigError(`TO11_CONFIG ${path}: invalid TOML: ${reason}`);
  }
  const parsed = configFileSchema.safeParse(raw);
  if (!parsed.success) throw firstIssue(parsed.error, path);
  return parsed.data;
}

/**
 * Reads and validates the gateway's configuration from `env` (pass `process.env`).
 * Throws {@link ConfigError} on the first problem found.
 */
export function loadGatewayConfig(env: Record<string, string | undefined>): GatewayConfig {
  const parsedEnv = envSchema.safeParse(emptyToUndefined(env));
  if (!parsedEnv.success) throw firstIssue(parsedEnv.error, '');
  const vars = parsedEnv.data;
  const file: ConfigFile = vars.TO11_CONFIG ? readConfigFile(vars.TO11_CONFIG) : {};
  const where = vars.TO11_CONFIG ?? 'to11.toml';
  const fail = (key: string, reason: string): never => {
    throw new ConfigError(`${where} ${key}: ${reason}`);
  };

  const providers = resolveProviders(file, {
    openaiBaseUrl: vars.TO11_OPENAI_BASE_URL,
    anthropicBaseUrl: vars.TO11_ANTHROPIC_BASE_URL,
    env,
    fail,
  });
  const routing = resolveRouting(file, providers, { env, fail });
  const workers =
    vars.TO11_GATEWAY_WORKERS === 'auto'
      ? Math.min(availableParallelism(), MAX_WORKERS)
      : (vars.TO11_GATEWAY_WORKERS ?? 1);
  if (workers > 1 && !vars.DATABASE_URL) {
    throw new ConfigError(
      'TO11_GATEWAY_WORKERS: more than one worker needs DATABASE_URL (the embedded store is single-process)',
    );
  }
  const capture = vars.TO11_CAPTURE_CONTENT;
  return {
    host: vars.TO11_GATEWAY_HOST ?? file.server?.host ?? '127.0.0.1',
    port: vars.TO11_GATEWAY_PORT ?? file.server?.port ?? 4000,
    workers,
    captureContent:
      capture !== undefined
        ? ['true', '1', 'yes', 'on'].includes(capture)
        : (file.genai_telemetry?.capture_content ?? true),
    maxContentBytes:
      vars.TO11_CAPTURE_CONTENT_MAX_BYTES ??
      file.genai_telemetry?.max_content_bytes ??
      DEFAULT_CONTENT_BYTES,
    defaultTimeoutMs:
      vars.TO11_UPSTREAM_TIMEOUT_MS ?? file.defaults?.provider?.timeout_ms ?? DEFAULT_TIMEOUT_MS,
    modelTimeouts: Object.fromEntries(
      Object.entries(file.models ?? {}).map(([name, section]) => [name, section.timeout_ms]),
    ),
    providers,
    ...routing,
    databaseUrl: vars.DATABASE_URL,
    dataDir: vars.TO11_DATA_DIR ?? './.to11/data',
    bootstrapApiKey: vars.TO11_BOOTSTRAP_API_KEY,
    logLevel: vars.TO11_LOG_LEVEL ?? 'info',
  };
}
