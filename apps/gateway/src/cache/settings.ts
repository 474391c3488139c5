/** `[cache]` resolved (SPEC §10 "Guardrails and cache"), with its defaults. */
import type { ConfigFile } from '@to11/config';

/** What the exact cache runs with. */
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
}

/** The cache settings of a config file. */
export function resolveCache(file: ConfigFile): CacheSettings {
  const section = file.cache ?? {};
  return {
    exact: section.exact ?? false,
    ttlSeconds: section.ttl_seconds ?? 300,
    maxEntries: section.max_entries ?? 10_000,
    maxBytes: section.max_bytes ?? 64 * 1024 * 1024,
    maxEntryBytes: section.max_entry_bytes ?? 1024 * 1024,
    redisPrefix: section.redis_prefix ?? 'to11:cache:',
  };
}
