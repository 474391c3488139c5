/**
 * The `[guardrails]` and `[cache]` tables of `to11.toml` (SPEC §10 "Guardrails and cache").
 * The gateway's `guardrails/settings.ts` and `cache/settings.ts` resolve them.
 */
import { z } from 'zod';
import { setting } from './setting.ts';

/** What a detector does when it matches. */
export const GUARDRAIL_ACTIONS = ['off', 'flag', 'redact', 'block'] as const;
/** One guardrail action. */
export type GuardrailAction = (typeof GUARDRAIL_ACTIONS)[number];

/** The PII detectors, in the order they run. */
export const PII_DETECTORS = ['ssn', 'credit_card', 'email', 'ip_address', 'phone'] as const;
/** One PII detector's name. */
export type PiiDetector = (typeof PII_DETECTORS)[number];

const action = z.enum(GUARDRAIL_ACTIONS);

const piiActions = z.strictObject(
  Object.fromEntries(
    PII_DETECTORS.map((name) => [
      name,
      setting(action, {
        description: `Action of the \`${name}\` detector (wins over \`pii\`)`,
        default: '`pii`',
      }).optional(),
    ]),
  ) as Record<PiiDetector, z.ZodOptional<typeof action>>,
);

/** `[guardrails]`. */
export const guardrailsSchema = z.strictObject({
  blocklist: setting(z.array(z.string().min(1)), {
    description: 'Case-insensitive substrings that block a request (any input message)',
    default: '[]',
  }).optional(),
  pii: setting(action, {
    description: 'Default action of every PII detector: `off`, `flag`, `redact` or `block`',
    default: 'off',
  }).optional(),
  output: setting(z.boolean(), {
    description: 'Also run the detectors on non-streamed answers (streams: flag only)',
    default: 'false',
  }).optional(),
  pii_actions: piiActions.optional(),
});

/** What text of a request the semantic cache embeds (the rest must match exactly). */
export const SEMANTIC_SCOPES = ['last_message', 'conversation'] as const;
/** One semantic cache scope. */
export type SemanticScope = (typeof SEMANTIC_SCOPES)[number];

/** Where semantic entries live: `auto` picks pgvector, then Redis, then memory. */
export const SEMANTIC_STORES = ['auto', 'postgres', 'redis', 'memory'] as const;
/** One semantic store choice. */
export type SemanticStoreChoice = (typeof SEMANTIC_STORES)[number];

/** `[cache.semantic]`: answers of similar questions (SPEC §10, reference §8.11). */
export const semanticCacheSchema = z.strictObject({
  model: setting(z.string().min(1), {
    description:
      "Embeddings model the prompts are embedded with, resolved like a caller's `model` (route, `provider::model`); the table turns the semantic cache on",
  }),
  similarity_threshold: setting(z.number().gt(0).max(1), {
    description: 'Cosine similarity at or above which a stored answer is served',
    default: '0.95',
  }).optional(),
  scope: setting(z.enum(SEMANTIC_SCOPES), {
    description:
      '`last_message`: embed the last user message, the earlier messages must match exactly; `conversation`: embed every message',
    default: 'last_message',
  }).optional(),
  ttl_seconds: setting(
    z
      .int()
      .positive()
      .max(30 * 24 * 3600),
    { description: 'How long a semantic entry is served', default: '`cache.ttl_seconds`' },
  ).optional(),
  max_entries: setting(z.int().positive().max(100_000), {
    description:
      'Entries kept: in memory for the whole process, in Redis and Postgres per partition (project, endpoint, model and parameters)',
    default: '1000',
  }).optional(),
  store: setting(z.enum(SEMANTIC_STORES), {
    description:
      "Where entries live: `postgres` (the store's database with pgvector), `redis` (`REDIS_URL`), `memory`; `auto` takes the first available in that order; an unavailable choice falls back the same way, logged once",
    default: 'auto',
  }).optional(),
});

/** `[cache]`. */
export const cacheSchema = z.strictObject({
  exact: setting(z.boolean(), {
    description: 'Exact-match cache of successful chat, messages, responses and embeddings answers',
    default: 'false',
  }).optional(),
  ttl_seconds: setting(
    z
      .int()
      .positive()
      .max(30 * 24 * 3600),
    {
      description: 'How long a cached answer is served',
      default: '300',
    },
  ).optional(),
  max_entries: setting(z.int().positive(), {
    description: 'In-memory cache (no `REDIS_URL`): most entries kept (least recently used go)',
    default: '10000',
  }).optional(),
  max_bytes: setting(z.int().positive(), {
    description: 'In-memory cache: most bytes of answers kept',
    default: '67108864',
  }).optional(),
  max_entry_bytes: setting(z.int().positive(), {
    description: 'Larger answers are not cached',
    default: '1048576',
  }).optional(),
  redis_prefix: setting(z.string().min(1), {
    description: 'Key prefix of cache entries in Redis (with `REDIS_URL`)',
    default: 'to11:cache:',
  }).optional(),
  semantic: semanticCacheSchema.optional(),
});
