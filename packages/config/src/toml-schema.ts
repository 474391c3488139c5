/**
 * The `to11.toml` schema (to11 reference §9.1, SPEC §4 "Routing"). Unknown keys inside the
 * sections we understand are errors (a typo must not be silently ignored); unknown top-level
 * sections are left alone. Cross-checks that need the provider registry (unknown targets,
 * unserved models, missing `env::` variables) are the gateway's.
 */
import { z } from 'zod';
import { exportTomlSchema } from './export-toml.ts';
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
  auth_type: setting(z.enum(['bearer', 'api_key_header', 'query_param']), {
    description:
      'How the key is sent: `bearer` (`Authorization: Bearer`), `api_key_header` or `query_param`',
    default: "the format's",
  }).optional(),
  auth_header_name: setting(z.string().min(1), {
    description: 'Header for `api_key_header` auth',
    default: "the format's",
  }).optional(),
  auth_query_name: setting(z.string().regex(/^[A-Za-z0-9_.-]+$/), {
    description: 'Query parameter for `query_param` auth (Gemini style `?key=`)',
    default: 'key',
  }).optional(),
  enabled: setting(z.boolean(), {
    description: 'Active in every environment unless `[environments.*]` says otherwise',
    default: 'true',
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

/** Strategies of a route, a function or one of their steps (reference §8.2). */
export const ROUTING_STRATEGIES = ['single', 'weighted', 'fallback', 'experiment'] as const;

const strategy = z.enum(ROUTING_STRATEGIES);
const targetList = z.array(z.string().min(1)).min(1);

const stepSchema = z.strictObject({ strategy, targets: targetList });

const variantSchema = z.strictObject({
  name: z.string().min(1),
  target: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  weight: nonNegativeInt.optional(),
});

/** The keys routes and functions share (reference §9.1 field reference). */
function dispatchKeys(owner: 'route' | 'function') {
  return {
    endpoint: setting(z.enum(ENDPOINT_KINDS), {
      description: `Endpoint kind matched: ${ENDPOINT_KINDS.map((kind) => `\`${kind}\``).join(', ')}`,
      default: 'chat',
    }).optional(),
    strategy: setting(strategy, {
      description:
        '`single`, `weighted`, `fallback` (in order) or `experiment` (`variants`); required unless `steps`',
    }).optional(),
    targets: setting(targetList, {
      description: `Names of \`[targets.*]\` tables; exactly one of ${
        owner === 'function' ? '`models`, ' : ''
      }\`targets\`, \`steps\`, \`variants\``,
    }).optional(),
    steps: setting(z.array(stepSchema).min(1), {
      description:
        'Fallback chain of `{ strategy, targets }` steps: the next step runs when a step has failed',
    }).optional(),
    variants: setting(z.array(variantSchema).min(1), {
      description:
        'A/B experiment arms `{ name, target | model, weight }` (weights relative, default 1)',
    }).optional(),
    experiment: setting(z.string().min(1), {
      description: 'Experiment name on spans and metrics',
      default: `the ${owner} name`,
    }).optional(),
    retry: retrySchema(true).optional(),
  };
}

const routeSchema = z.strictObject({
  ...dispatchKeys('route'),
  models: setting(z.array(z.string().min(1)).min(1), {
    description: 'Model names callers send that this route serves',
  }),
});

const functionSchema = z.strictObject({
  ...dispatchKeys('function'),
  models: setting(z.array(z.string().min(1)).min(1), {
    description: 'Models tried by this function (inline targets with the provider credentials)',
  }).optional(),
});

const environmentSchema = z.strictObject({
  enable_providers: setting(z.array(z.string().min(1)), {
    description: 'Providers active in this environment even with `enabled = false`',
  }).optional(),
  disable_providers: setting(z.array(z.string().min(1)), {
    description: 'Providers inactive in this environment',
  }).optional(),
  routes: z.record(z.string(), routeSchema).optional(),
  // An environment's targets and functions replace those of the same name, or add new ones.
  targets: z.record(z.string(), targetSchema).optional(),
  functions: z
    .record(z.string().regex(/^[^:]+$/, 'must not contain ":"'), functionSchema)
    .optional(),
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
    .record(z.string().regex(/^[^:]+$/, 'must not contain ":"'), functionSchema)
    .optional(),
  environments: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/), environmentSchema).optional(),

  // Span forwarding (`[[export.otlp]]`, export-toml.ts), read by the gateway and the collector.
  export: exportTomlSchema.optional(),
});

/** `to11.toml` after validation. */
export type ConfigFile = z.infer<typeof configFileSchema>;
/** One `[providers.<id>]` table. */
export type ProviderSection = z.infer<typeof providerSchema>;
/** One `[routes.<name>]` table. */
export type RouteSection = z.infer<typeof routeSchema>;
/** One `[functions.<name>]` table. */
export type FunctionSection = z.infer<typeof functionSchema>;
/** One `[environments.<name>]` table. */
export type EnvironmentSection = z.infer<typeof environmentSchema>;
/** A strategy of a route, function or step. */
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];
/** One `[targets.<name>]` table. */
export type TargetSection = z.infer<typeof targetSchema>;
