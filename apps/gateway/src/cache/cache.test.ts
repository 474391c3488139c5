import { describe, expect, it } from 'vitest';
import { MemoryCache } from './backends.ts';
import { cacheKey, canonicalJson } from './cache-key.ts';

describe('cacheKey', () => {
  const base = { projectId: 'p1', caller: 'chat_completions', stream: false };

  it('ignores key order and non-semantic members, and tells projects, endpoints and streams apart', () => {
    const a = cacheKey({
      ...base,
      body: { model: 'm', messages: [{ role: 'user', content: 'hi' }] },
    });
    const b = cacheKey({
      ...base,
      body: { messages: [{ content: 'hi', role: 'user' }], user: 'u1', stream: false, model: 'm' },
    });
    expect(a).toBe(b);
    expect(cacheKey({ ...base, body: { model: 'm', temperature: 1 } })).not.toBe(
      cacheKey({ ...base, body: { model: 'm', temperature: 0 } }),
    );
    const body = { model: 'm' };
    const keys = new Set([
      cacheKey({ ...base, body }),
      cacheKey({ ...base, projectId: 'p2', body }),
      cacheKey({ ...base, caller: 'messages', body }),
      cacheKey({ ...base, stream: true, body }),
    ]);
    expect(keys.size).toBe(4);
    expect(canonicalJson({ b: [1, { d: 1, c: 2 }], a: null })).toBe(
      '{"a":null,"b":[1,{"c":2,"d":1}]}',
    );
  });
});

describe('MemoryCache', () => {
  it('expires entries after their TTL', async () => {
    let now = 1_000;
    const cache = new MemoryCache(10, 1_000, () => now);
    await cache.set('k', 'v', 500);
    expect(await cache.get('k')).toBe('v');
    now += 500;
    expect(await cache.get('k')).toBeNull();
  });

  it('evicts the least recently used entries past its entry and byte bounds', async () => {
    const cache = new MemoryCache(2, 10, () => 0);
    await cache.set('a', 'aaaa', 1_000);
    await cache.set('b', 'bbbb', 1_000);
    expect(await cache.get('a')).toBe('aaaa');
    await cache.set('c', 'cccc', 1_000);
    expect(await cache.get('b')).toBeNull();
    expect(cache.size).toBe(2);
    await cache.set('d', 'dddddddd', 1_000);
    expect(cache.bytes).toBeLessThanOrEqual(10);
    expect(await cache.get('d')).toBe('dddddddd');
    expect(await cache.get('a')).toBeNull();
    await cache.set('huge', 'x'.repeat(11), 1_000);
    expect(await cache.get('huge')).toBeNull();
  });
});
