/**
 * The `to11.toml` schema (to11 reference §9.1, SPEC §4 "Routing"). Unknown keys inside the
 * sections we understand are errors (a typo must not be silently ignored); unknown top-level
 * sections are left alone. Cross-checks that need the provider registry (unknown targets,
 * unserved models, missing `env::` variables) are the gateway's.
 */
import { z } from 'zod';
import { GATEWAY_DEFAULTS } from './gateway-env.ts';
import { cacheSchema, guardrailsSchema } from './guardrails-cache-schema.ts';
import { limitsSchema } from './limits-toml.ts';
import { setting } from './setting.ts';

const positiveInt = z.int().positive();
const nonNegativeInt = z.int().nonnegative();
const credential = z
  .string()
  .regex(/^env::[A-Za-z_][A-Za-z0-9_]*$/, 'must be an env::VAR_NAME reference');

/** Endpoint kinds a route can match (reference §8.1). */
export const ENDPOINT_KINDS = [
  'chat',
  'embeddings',
  'audio_speech',
  'audio_transcription',
  'image_generation',
] as const;

/** A route's endpoint kind. */
export type EndpointKind = (typeof ENDPOINT_KINDS)[number];

function retrySchema(inherited: boolean) {
  const from = (value: number) => (inherited ? '`[routing.retry]`' : String(value));
  return z.strictObject({
    max_retries: setting(nonNegativeInt.max(10), {
      description: 'Retries after the first attempt (connect error, timeout, 429, 5xx)',
      default: from(GATEWAY_DEFAULTS.maxRetries),
    }).optional(),
    backoff_base_ms: setting(nonNegativeInt.max(60_000), {
      description: 'First backoff in ms, doubled per retry with jitter; `retry-after` wins',
      default: from(GATEWAY_DEFAULTS.backoffBaseMs),
    }).optional(),
  });
}

const providerSchema = z.strictObject({
  base_url: setting(z.url({ protocol: /^https?$/ }), {
    description: 'Base URL with the version path; required for a provider that is not built in',
  }).optional(),
  format: setting(z.enum(['openai', 'anthropic']), {
    description: 'Wire format of a declared provider',
    default: 'openai',
  }).optional(),
  models: setting(z.array(z.string().min(1)), {
    description: 'Model names served by this provider (looked up before the built-in patterns)',
  }).optional(),
  credential: setting(credential, {
    description: 'Managed credential `env::VAR`; wins over the caller key',
  }).optional(),
  timeout_ms: setting(positiveInt, {
    description: 'Upstream timeout for this provider',
    default: '`[defaults.provider]`',
  }).optional(),
  auth_type: setting(z.enum(['bearer', 'api_key_header']), {
    description: 'How the key is sent: `Authorization: Bearer` or a key header',
    default: "the format's",
  }).optional(),
  auth_header_name: setting(z.string().min(1), {
    description: 'Header for `api_key_header` auth',
    default: "the format's",
  }).optional(),
  propagate_trace: setting(z.boolean(), {
    description: 'Inject `traceparent` into upstream calls',
    default: 'true',
  }).optional(),
});

const targetSchema = z.strictObject({
  model: setting(z.string().min(1), {
    description: 'Model sent upstream; `provider::model` forces a provider',
  }),
  credential: setting(credential, { description: 'Managed credential `env::VAR`' }).optional(),
  weight: setting(nonNegativeInt, {
    description: 'Share of traffic in a `weighted` route',
    default: '1',
  }).optional(),
  timeout_ms: setting(positiveInt, {
    description: 'Upstream timeout for this target (wins over model and provider)',
  }).optional(),
});

const routeSchema = z.strictObject({
  endpoint: setting(z.enum(ENDPOINT_KINDS), {
    description: `Endpoint kind matched: ${ENDPOINT_KINDS.map((kind) => `\`${kind}\``).join(', ')}`,
    default: 'chat',
  }).optional(),
  models: setting(z.array(z.string().min(1)).min(1), {
    description: 'Model names callers send that this route serves',
  }),
  strategy: setting(z.enum(['single', 'weighted', 'fallback']), {
    description: '`single`, `weighted` or `fallback` (in order)',
  }),
  targets: setting(z.array(z.string().min(1)).min(1), {
    description: 'Names of `[targets.*]` tables',
  }),
  retry: retrySchema(true).optional(),
});

/** The validated shape of `to11.toml`. */
export const configFileSchema = z.looseObject({
  server: z
    .strictObject({
      host: setting(z.string().min(1), {
        description: 'Interface the gateway binds to (`TO11_GATEWAY_HOST` wins)',
        default: GATEWAY_DEFAULTS.host,
      }).optional(),
      port: setting(nonNegativeInt.max(65_535), {
        description: 'Gateway port (`TO11_GATEWAY_PORT` wins)',
        default: String(GATEWAY_DEFAULTS.port),
      }).optional(),
    })
    .optional(),
  defaults: z
    .strictObject({
      provider: z
        .strictObject({
          timeout_ms: setting(positiveInt, {
            description: 'Upstream timeout when no target, model or provider sets one',
            default: String(GATEWAY_DEFAULTS.timeoutMs),
          }).optional(),
        })
        .optional(),
    })
    .optional(),
  providers: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/), providerSchema).optional(),
  models: z
    .record(
      z.string(),
      z.strictObject({
        timeout_ms: setting(positiveInt, { description: 'Upstream timeout for this model' }),
      }),
    )
    .optional(),
  targets: z.record(z.string(), targetSchema).optional(),
  routes: z.record(z.string(), routeSchema).optional(),
  routing: z.strictObject({ retry: retrySchema(false).optional() }).optional(),
  genai_telemetry: z
    .strictObject({
      capture_content: setting(z.boolean(), {
        description: 'Record prompts and completions on spans (`TO11_CAPTURE_CONTENT` wins)',
        default: String(GATEWAY_DEFAULTS.captureContent),
      }).optional(),
      max_content_bytes: setting(positiveInt.min(64), {
        description:
          'Longest captured value in UTF-8 bytes (`TO11_CAPTURE_CONTENT_MAX_BYTES` wins)',
        default: String(GATEWAY_DEFAULTS.maxContentBytes),
      }).optional(),
    })
    .optional(),
  limits: limitsSchema.optional(),
  guardrails: guardrailsSchema.optional(),
  cache: cacheSchema.optional(),
  functions: z
    .never({ error: 'function routing (L3) is not supported by this gateway' })
    .optional(),
});

/** `to11.toml` after validation. */
export type ConfigFile = z.infer<typeof configFileSchema>;
/** One `[providers.<id>]` table. */
export type ProviderSection = z.infer<typeof providerSchema>;
/** One `[routes.<name>]` table. */
export type RouteSection = z.infer<typeof routeSchema>;
/** One `[targets.<name>]` table. */
export type TargetSection = z.infer<typeof targetSchema>;
