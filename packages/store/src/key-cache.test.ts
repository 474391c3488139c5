import { describe, expect, it } from 'vitest';
import { createKeyCache, KEY_STALE_IF_ERROR_MS } from './key-cache.ts';
import type { KeyPrincipal } from './types.ts';

const principal = { keyId: 'key_1' } as KeyPrincipal;

describe('key cache', () => {
  it('answers within its TTL, then only as a stale fallback until the stale horizon', () => {
    const cache = createKeyCache(1_000);
    cache.set('h', principal, 0);
    expect(cache.get('h', 999)).toBe(principal);
    expect(cache.get('h', 1_000)).toBeNull();
    expect(cache.stale('h', 1_000)).toBe(principal);
    expect(cache.stale('h', 1_000 + KEY_STALE_IF_ERROR_MS - 1)).toBe(principal);
    expect(cache.stale('h', 1_000 + KEY_STALE_IF_ERROR_MS)).toBeNull();
  });

  it('forgets an evicted (revoked) key for the stale fallback too', () => {
    const cache = createKeyCache(1_000);
    cache.set('h', principal, 0);
    cache.evict(['key_1']);
    expect(cache.stale('h', 10)).toBeNull();
  });
});
