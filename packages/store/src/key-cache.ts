/** The in-memory cache of verified keys (SPEC §9: revocation within the TTL everywhere). */
import type { KeyPrincipal } from './types.ts';

const MAX_ENTRIES = 10_000;

/**
 * How long past its TTL a verified key still authenticates while the store cannot be read
 * (stale-if-error): a store outage shorter than this does not fail calls with cached keys.
 * Nothing can be revoked meanwhile: revocation writes to the same store.
 */
export const KEY_STALE_IF_ERROR_MS = 10 * 60_000;

/** Valid principals by secret hash, each kept for `ttlMs`. */
export interface KeyCache {
  get(hash: string, now: number): KeyPrincipal | null;
  /** The principal even past its TTL (within {@link KEY_STALE_IF_ERROR_MS}): the store is down. */
  stale(hash: string, now: number): KeyPrincipal | null;
  set(hash: string, principal: KeyPrincipal, now: number): void;
  /** Evicts every entry of these key ids (revocation in this process takes effect at once). */
  evict(keyIds: Iterable<string>): void;
}

/** A key cache; `ttlMs <= 0` disables caching. */
export function createKeyCache(ttlMs: number): KeyCache {
  const entries = new Map<string, { principal: KeyPrincipal; until: number }>();
  return {
    get(hash, now) {
      const entry = entries.get(hash);
      if (entry === undefined) return null;
      if (entry.until > now) return entry.principal;
      if (entry.until + KEY_STALE_IF_ERROR_MS <= now) entries.delete(hash);
      return null;
    },
    stale(hash, now) {
      const entry = entries.get(hash);
      if (entry === undefined || entry.until + KEY_STALE_IF_ERROR_MS <= now) return null;
      return entry.principal;
    },
    set(hash, principal, now) {
      if (ttlMs <= 0) return;
      if (entries.size >= MAX_ENTRIES) {
        const oldest = entries.keys().next();
        if (oldest.done !== true) entries.delete(oldest.value);
      }
      entries.set(hash, { principal, until: now + ttlMs });
    },
    evict(keyIds) {
      const ids = new Set(keyIds);
      for (const [hash, entry] of entries) {
        if (ids.has(entry.principal.keyId)) entries.delete(hash);
      }
    },
  };
}
