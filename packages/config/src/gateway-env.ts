/**
 * The gateway's own environment variables (SPEC §2, §4, §5). Unset values stay undefined here:
 * the gateway falls back to to11.toml, then to {@link GATEWAY_DEFAULTS}.
 */
import { z } from 'zod';
import { setting } from './setting.ts';
import { withSharedEnv } from './shared-env.ts';

/** Most gateway worker processes `TO11_GATEWAY_WORKERS` may ask for. */
export const MAX_GATEWAY_WORKERS = 64;

/** What the gateway uses when neither the environment nor to11.toml sets a value. */
export const GATEWAY_DEFAULTS = {
  host: '127.0.0.1',
  port: 4000,
  captureContent: true,
  maxContentBytes: 64 * 1024,
  timeoutMs: 30_000,
  streamIdleTimeoutMs: 120_000,
  maxRetries: 2,
  backoffBaseMs: 500,
  maxInFlight: 1024,
  spanBufferSpans: 10_000,
  shutdownGraceMs: 30_000,
} as const;

/** Values `TO11_CAPTURE_CONTENT` accepts; the first four mean "on". */
export const BOOLEAN_FLAGS = ['true', '1', 'yes', 'on', 'false', '0', 'no', 'off'] as const;

/** Whether a {@link BOOLEAN_FLAGS} value means "on". */
export function flagIsOn(flag: (typeof BOOLEAN_FLAGS)[number]): boolean {
  return BOOLEAN_FLAGS.indexOf(flag) < 4;
}

const port = z.coerce.number().int().min(0).max(65_535);
const httpUrl = z.url({ protocol: /^https?$/ });

/** The variables only the gateway reads. */
export const gatewayOwnEnvSchema = z.object({
  TO11_GATEWAY_HOST: setting(z.string().min(1), {
    description: 'Interface the gateway binds to (overrides `[server] host`)',
    default: GATEWAY_DEFAULTS.host,
  }).optional(),
  TO11_GATEWAY_PORT: setting(port, {
    description: 'Gateway port, `0` picks a free one (overrides `[server] port`)',
    default: String(GATEWAY_DEFAULTS.port),
  }).optional(),
  TO11_GATEWAY_WORKERS: setting(
    z.union([z.literal('auto'), z.coerce.number().int().min(1).max(MAX_GATEWAY_WORKERS)]),
    {
      description:
        'Gateway processes sharing the port (`auto` = one per core); above 1 needs `DATABASE_URL` and the standalone gateway',
      default: '1',
    },
  ).optional(),
  TO11_OPENAI_BASE_URL: setting(httpUrl, {
    description: 'OpenAI upstream, version path included (e.g. a local fake)',
    default: 'https://api.openai.com/v1',
  }).optional(),
  TO11_ANTHROPIC_BASE_URL: setting(httpUrl, {
    description: 'Anthropic upstream, version path included',
    default: 'https://api.anthropic.com/v1',
  }).optional(),
  TO11_CAPTURE_CONTENT: setting(z.enum(BOOLEAN_FLAGS), {
    description:
      '`false` stops recording prompts and completions on spans (overrides `[genai_telemetry] capture_content`)',
    default: String(GATEWAY_DEFAULTS.captureContent),
  }).optional(),
  TO11_CAPTURE_CONTENT_MAX_BYTES: setting(z.coerce.number().int().min(64), {
    description: 'Longest captured content value in UTF-8 bytes, truncation marker included',
    default: String(GATEWAY_DEFAULTS.maxContentBytes),
  }).optional(),
  TO11_UPSTREAM_TIMEOUT_MS: setting(z.coerce.number().int().positive(), {
    description: 'Upstream timeout when no target, model or provider sets one',
    default: String(GATEWAY_DEFAULTS.timeoutMs),
  }).optional(),
  TO11_UPSTREAM_STREAM_IDLE_TIMEOUT_MS: setting(z.coerce.number().int().positive(), {
    description:
      'Longest silence of an upstream stream once it has started; past it the stream is cut, the caller gets an error event and the span the error',
    default: String(GATEWAY_DEFAULTS.streamIdleTimeoutMs),
  }).optional(),
  TO11_GATEWAY_MAX_IN_FLIGHT: setting(z.coerce.number().int().min(1), {
    description:
      'Most `/v1/*` calls one gateway process serves at once; past it a call gets 503 `overloaded` with `Retry-After: 1`',
    default: String(GATEWAY_DEFAULTS.maxInFlight),
  }).optional(),
  TO11_GATEWAY_SPAN_BUFFER: setting(z.coerce.number().int().min(1), {
    description:
      'Most gateway spans held in memory while the store is slow or down (about 2 KiB each without content); past it new spans are dropped and counted',
    default: String(GATEWAY_DEFAULTS.spanBufferSpans),
  }).optional(),
  TO11_GATEWAY_SHUTDOWN_GRACE_MS: setting(z.coerce.number().int().min(0), {
    description:
      'How long SIGTERM waits for in-flight calls before it cuts them (counted in the log), then spans are flushed',
    default: String(GATEWAY_DEFAULTS.shutdownGraceMs),
  }).optional(),
});

/** Everything the gateway reads from the environment. */
export const gatewayEnvSchema = withSharedEnv(gatewayOwnEnvSchema);

/** The gateway's environment after validation. */
export type GatewayEnv = z.output<typeof gatewayEnvSchema>;
