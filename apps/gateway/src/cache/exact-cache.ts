/**
 * The exact cache's lookup and write (SPEC §10 "Guardrails and cache"). Only JSON requests of
 * chat completions, Anthropic messages, responses and embeddings are cached, and only their
 * 200 answers. `cache-control: no-cache` skips the lookup (the answer says `x-to11-cache:
 * bypass` and is still stored); `no-store` skips the write. A backend error is a miss (counted
 * in `to11_cache_lookups_total{result="error"}`), never a failed request. The backend is made
 * once per app (`deps`): memory, or Redis on the shared-state connection.
 */
import type { Attributes } from '@to11/trace-core';
import type { AppDeps } from '../env.ts';
import type { CallerFormat } from '../invoke/exchange.ts';
import type { ParsedRequest } from '../invoke/read-request.ts';
import { type CacheBackend, MemoryCache, RedisCache } from './backends.ts';
import { cacheKey } from './cache-key.ts';

export const ATTR_CACHE_HIT = 'gateway.cache.hit';
/** The first 16 hex digits of the key. */
export const ATTR_CACHE_KEY = 'gateway.cache.key';
export const ATTR_CACHE_AGE = 'gateway.cache.age_s';
export const ATTR_CACHE_BACKEND = 'gateway.cache.backend';

/** What a cached answer is stored as. */
export interface CacheEntry {
  v: 1;
  /** When it was stored, epoch ms. */
  at: number;
  /** The body is the SSE text the caller was sent (else the JSON answer). */
  stream: boolean;
  contentType: string;
  body: string;
}

/** Stores the answer of a miss; `header` is its `x-to11-cache`. */
export interface CacheWriter {
  header: 'miss' | 'bypass';
  store(contentType: string, body: string): void;
}

/** What the lookup found. */
export type CacheLookup =
  | { kind: 'off' }
  | { kind: 'hit'; entry: CacheEntry; ageS: number }
  | { kind: 'miss'; writer: CacheWriter | undefined };

const CACHEABLE: ReadonlySet<CallerFormat> = new Set([
  'chat_completions',
  'messages',
  'responses',
  'embeddings',
]);

const backends = new WeakMap<AppDeps, CacheBackend>();

/** The backend of an app (made at its first cached call). */
export function cacheBackend(deps: AppDeps): CacheBackend {
  let backend = backends.get(deps);
  if (!backend) {
    const settings = deps.config.cache;
    backend = deps.redis
      ? new RedisCache(deps.redis, settings.redisPrefix)
      : new MemoryCache(settings.maxEntries, settings.maxBytes);
    backends.set(deps, backend);
  }
  return backend;
}

function parseEntry(text: string | null): CacheEntry | null {
  if (text === null) return null;
  try {
    const entry = JSON.parse(text) as CacheEntry;
    return entry.v === 1 && typeof entry.body === 'string' ? entry : null;
  } catch {
    return null;
  }
}

/** What the lookup needs to know of the call. */
export interface CacheQuery {
  projectId: string;
  caller: CallerFormat;
  request: ParsedRequest;
  /** The caller's `cache-control` header. */
  cacheControl: string | undefined;
  /** The GenAI span's attributes (`gateway.cache.*` are added). */
  spanAttributes: Attributes;
}

/** Looks the request up; a miss comes with the writer of its answer. */
export async function lookupCache(deps: AppDeps, query: CacheQuery): Promise<CacheLookup> {
  const settings = deps.config.cache;
  const { request } = query;
  if (!settings.exact || !request.json || !CACHEABLE.has(query.caller)) return { kind: 'off' };
  const backend = cacheBackend(deps);
  const directives = (query.cacheControl ?? '').toLowerCase();
  const bypass = directives.includes('no-cache');
  const key = cacheKey({
    projectId: query.projectId,
    caller: query.caller,
    stream: request.telemetry.stream,
    body: request.json,
  });
  const labels = { backend: backend.name };
  query.spanAttributes[ATTR_CACHE_KEY] = key.slice(0, 16);
  query.spanAttributes[ATTR_CACHE_BACKEND] = backend.name;
  query.spanAttributes[ATTR_CACHE_HIT] = false;
  if (!bypass) {
    let entry: CacheEntry | null = null;
    try {
      entry = parseEntry(await backend.get(key));
      deps.metrics.cacheLookups.inc({ ...labels, result: entry ? 'hit' : 'miss' });
    } catch {
      deps.metrics.cacheLookups.inc({ ...labels, result: 'error' });
    }
    if (entry) {
      const ageS = Math.max(0, Math.round((Date.now() - entry.at) / 1000));
      query.spanAttributes[ATTR_CACHE_HIT] = true;
      query.spanAttributes[ATTR_CACHE_AGE] = ageS;
      return { kind: 'hit', entry, ageS };
    }
  } else {
    deps.metrics.cacheLookups.inc({ ...labels, result: 'bypass' });
  }
  if (directives.includes('no-store')) return { kind: 'miss', writer: undefined };
  const ttlMs = settings.ttlSeconds * 1000;
  const writer: CacheWriter = {
    header: bypass ? 'bypass' : 'miss',
    store(contentType, body) {
      if (body.length > settings.maxEntryBytes) {
        deps.metrics.cacheWrites.inc({ ...labels, result: 'too_large' });
        return;
      }
      const entry: CacheEntry = {
        v: 1,
        at: Date.now(),
        stream: request.telemetry.stream,
        contentType,
        body,
      };
      backend.set(key, JSON.stringify(entry), ttlMs).then(
        () => deps.metrics.cacheWrites.inc({ ...labels, result: 'stored' }),
        () => deps.metrics.cacheWrites.inc({ ...labels, result: 'error' }),
      );
    },
  };
  return { kind: 'miss', writer };
}
