/** `[cache]` resolved (SPEC §10 "Guardrails and cache"), with its defaults. */
import type { ConfigFile, SemanticScope, SemanticStoreChoice } from '@to11/config';

/** What the semantic cache runs with (`[cache.semantic]`; absent = off). */
export interface SemanticCacheSettings {
  /** Embeddings model, resolved like a caller's `model`. */
  model: string;
  similarityThreshold: number;
  scope: SemanticScope;
  ttlSeconds: number;
  /** In memory: entries per process; in Redis and Postgres: entries per partition. */
  maxEntries: number;
  /** Where entries live (`auto`: pgvector, then Redis, then memory). */
  store: SemanticStoreChoice;
}

/** What the exact and semantic caches run with. */
export interface CacheSettings {
  exact: boolean;
  ttlSeconds: number;
  /** In-memory backend bounds (least recently used entries go first). */
  maxEntries: number;
  maxBytes: number;
  /** Answers larger than this are not stored. */
  maxEntryBytes: number;
  /** Key prefix in Redis. */
  redisPrefix: string;
  semantic: SemanticCacheSettings | null;
}

/** The cache settings of a config file. */
export function resolveCache(file: ConfigFile): CacheSettings {
  const section = file.cache ?? {};
  const ttlSeconds = section.ttl_seconds ?? 300;
  const semantic = section.semantic;
  return {
    exact: section.exact ?? false,
    ttlSeconds,
    maxEntries: section.max_entries ?? 10_000,
    maxBytes: section.max_bytes ?? 64 * 1024 * 1024,
    maxEntryBytes: section.max_entry_bytes ?? 1024 * 1024,
    redisPrefix: section.redis_prefix ?? 'to11:cache:',
    semantic: semantic
      ? {
          model: semantic.model,
          similarityThreshold: semantic.similarity_threshold ?? 0.95,
          scope: semantic.scope ?? 'last_message',
          ttlSeconds: semantic.ttl_seconds ?? ttlSeconds,
          maxEntries: semantic.max_entries ?? 1000,
          store: semantic.store ?? 'auto',
        }
      : null,
  };
}
