/**
 * The `to11.toml` schema (to11 reference §9.1, SPEC §4 "Routing"). Parsed with smol-toml and
 * validated with zod; unknown keys inside the sections we understand are errors (a typo must
 * not be silently ignored), unknown top-level sections are left alone.
 */
import { z } from 'zod';

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

const retrySchema = z.strictObject({
  max_retries: nonNegativeInt.max(10).optional(),
  backoff_base_ms: nonNegativeInt.max(60_000).optional(),
});

const providerSchema = z.strictObject({
  base_url: z.url({ protocol: /^https?$/ }).optional(),
  format: z.enum(['openai', 'anthropic']).optional(),
  models: z.array(z.string().min(1)).optional(),
  credential: credential.optional(),
  timeout_ms: positiveInt.optional(),
  auth_type: z.enum(['bearer', 'api_key_header']).optional(),
  auth_header_name: z.string().min(1).optional(),
  propagate_trace: z.boolean().optional(),
});

const targetSchema = z.strictObject({
  model: z.string().min(1),
  credential: credential.optional(),
  weight: nonNegativeInt.optional(),
  timeout_ms: positiveInt.optional(),
});

const routeSchema = z.strictObject({
  endpoint: z.enum(ENDPOINT_KINDS).optional(),
  models: z.array(z.string().min(1)).min(1),
  strategy: z.enum(['single', 'weighted', 'fallback']),
  targets: z.array(z.string().min(1)).min(1),
  retry: retrySchema.optional(),
});

/** The validated shape of `to11.toml`. */
export const configFileSchema = z.looseObject({
  server: z
    .strictObject({
      host: z.string().min(1).optional(),
      port: nonNegativeInt.max(65_535).optional(),
    })
    .optional(),
  defaults: z
    .strictObject({ provider: z.strictObject({ timeout_ms: positiveInt.optional() }).optional() })
    .optional(),
  providers: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/), providerSchema).optional(),
  models: z.record(z.string(), z.strictObject({ timeout_ms: positiveInt })).optional(),
  targets: z.record(z.string(), targetSchema).optional(),
  routes: z.record(z.string(), routeSchema).optional(),
  routing: z.strictObject({ retry: retrySchema.optional() }).optional(),
  genai_telemetry: z
    .strictObject({
      capture_content: z.boolean().optional(),
      max_content_bytes: positiveInt.min(64).optional(),
    })
    .optional(),
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
