/**
 * The cache lookup and write (SPEC §10 "Guardrails and cache"): the exact cache first, then
 * the semantic one (`semantic-cache.ts`) when `[cache.semantic]` is set. Only JSON requests of
 * chat completions, Anthropic messages, responses and embeddings are cached, and only their
 * 200 answers. The answer says `x-to11-cache: hit` when served from a cache and `miss`
 * otherwise. `cache-control: no-cache` skips the lookups (a `miss`, still stored, with
 * `gateway.cache.bypass = true` on the span); `no-store` skips the write. A backend error is
 * a miss (counted in `to11_cache_lookups_total{result="error"}`), never a failed request. The
 * backend is made once per app (`deps`): memory, or Redis on the shared-state connection.
 */
import type { Attributes } from '@to11/trace-core';
import type { AppDeps } from '../env.ts';
import type { CallerFormat } from '../invoke/exchange.ts';
import type { ParsedRequest } from '../invoke/read-request.ts';
import { type CacheBackend, MemoryCache, RedisCache } from './backends.ts';
import { cacheKey } from './cache-key.ts';
import { lookupSemantic, type SemanticCallContext } from './semantic-cache.ts';

export const ATTR_CACHE_HIT = 'gateway.cache.hit';
/** The first 16 hex digits of the key. */
export const ATTR_CACHE_KEY = 'gateway.cache.key';
export const ATTR_CACHE_AGE = 'gateway.cache.age_s';
export const ATTR_CACHE_BACKEND = 'gateway.cache.backend';
/** `exact` or `semantic`: which cache served the hit. */
export const ATTR_CACHE_TYPE = 'gateway.cache.type';
/** Cosine similarity of a semantic hit to the stored question. */
export const ATTR_CACHE_SIMILARITY = 'gateway.cache.similarity';
/** `cache-control: no-cache` skipped the lookup. */
export const ATTR_CACHE_BYPASS = 'gateway.cache.bypass';

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
  header: 'miss';
  store(contentType: string, body: string): void;
}

/** Which cache served a hit (`similarity` for a semantic one). */
export interface CacheHitSource {
  type: 'exact' | 'semantic';
  similarity?: number | undefined;
}

/** What the lookup found. */
export type CacheLookup =
  | { kind: 'off' }
  | { kind: 'hit'; entry: CacheEntry; ageS: number; source: CacheHitSource }
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
  /** What the semantic cache's embeddings call needs. */
  semantic: SemanticCallContext;
}

/** A serialised entry of an answer. */
function serialise(stream: boolean, contentType: string, body: string): string {
  const entry: CacheEntry = { v: 1, at: Date.now(), stream, contentType, body };
  return JSON.stringify(entry);
}

function hitOf(entry: CacheEntry, attributes: Attributes, source: CacheHitSource): CacheLookup {
  const ageS = Math.max(0, Math.round((Date.now() - entry.at) / 1000));
  attributes[ATTR_CACHE_HIT] = true;
  attributes[ATTR_CACHE_AGE] = ageS;
  attributes[ATTR_CACHE_TYPE] = source.type;
  if (source.similarity !== undefined) attributes[ATTR_CACHE_SIMILARITY] = source.similarity;
  return { kind: 'hit', entry, ageS, source };
}

/** The lookup of a request no cache applies to. */
export const CACHE_OFF: CacheLookup = { kind: 'off' };

/**
 * Whether a cache may answer this request at all; when not, callers skip {@link lookupCache}
 * (and building its query) and use {@link CACHE_OFF}.
 */
export function cacheApplies(deps: AppDeps, caller: CallerFormat, request: ParsedRequest): boolean {
  const settings = deps.config.cache;
  return (
    (settings.exact || settings.semantic !== null) && request.json !== null && CACHEABLE.has(caller)
  );
}

/** Looks the request up; a miss comes with the writer of its answer. */
export async function lookupCache(deps: AppDeps, query: CacheQuery): Promise<CacheLookup> {
  const settings = deps.config.cache;
  const { request } = query;
  const json = request.json;
  const exact = settings.exact;
  if (!json || !cacheApplies(deps, query.caller, request)) return CACHE_OFF;
  const directives = (query.cacheControl ?? '').toLowerCase();
  const bypass = directives.includes('no-cache');
  const attributes = query.spanAttributes;
  const stream = request.telemetry.stream;
  attributes[ATTR_CACHE_HIT] = false;
  if (bypass) attributes[ATTR_CACHE_BYPASS] = true;
  const backend = exact ? cacheBackend(deps) : undefined;
  const key = exact
    ? cacheKey({ projectId: query.projectId, caller: query.caller, stream, body: json })
    : '';
  if (backend) {
    const labels = { backend: backend.name };
    attributes[ATTR_CACHE_KEY] = key.slice(0, 16);
    attributes[ATTR_CACHE_BACKEND] = backend.name;
    if (!bypass) {
      let entry: CacheEntry | null = null;
      try {
        entry = parseEntry(await backend.get(key));
        deps.metrics.cacheLookups.inc({ ...labels, result: entry ? 'hit' : 'miss' });
      } catch {
        deps.metrics.cacheLookups.inc({ ...labels, result: 'error' });
      }
      if (entry) return hitOf(entry, attributes, { type: 'exact' });
    } else {
      deps.metrics.cacheLookups.inc({ ...labels, result: 'bypass' });
    }
  }
  const semantic = await lookupSemantic(deps, {
    projectId: query.projectId,
    caller: query.caller,
    stream,
    body: json,
    bypass,
    call: query.semantic,
  });
  const semanticEntry = semantic?.hit ? parseEntry(semantic.hit.value) : null;
  if (semantic?.hit && semanticEntry) {
    attributes[ATTR_CACHE_BACKEND] = semantic.store.name;
    return hitOf(semanticEntry, attributes, {
      type: 'semantic',
      similarity: Math.round(semantic.hit.similarity * 10_000) / 10_000,
    });
  }
  if (directives.includes('no-store')) return { kind: 'miss', writer: undefined };
  const writes: {
    name: string;
    write(value: string): Promise<void>;
    counter: 'exact' | 'semantic';
  }[] = [];
  if (backend) {
    const ttlMs = settings.ttlSeconds * 1000;
    writes.push({
      name: backend.name,
      counter: 'exact',
      write: (value) => backend.set(key, value, ttlMs),
    });
  }
  const semanticWrite = semantic?.write;
  if (semantic && semanticWrite && settings.semantic) {
    const ttlMs = settings.semantic.ttlSeconds * 1000;
    writes.push({
      name: semantic.store.name,
      counter: 'semantic',
      write: (value) => semanticWrite(value, ttlMs),
    });
  }
  if (writes.length === 0) return { kind: 'miss', writer: undefined };
  const writer: CacheWriter = {
    header: 'miss',
    store(contentType, body) {
      const value = serialise(stream, contentType, body);
      for (const target of writes) {
        const counter =
          target.counter === 'exact' ? deps.metrics.cacheWrites : deps.metrics.semanticCacheWrites;
        const labels = { backend: target.name };
        if (body.length > settings.maxEntryBytes) {
          counter.inc({ ...labels, result: 'too_large' });
          continue;
        }
        target.write(value).then(
          () => counter.inc({ ...labels, result: 'stored' }),
          () => counter.inc({ ...labels, result: 'error' }),
        );
      }
    },
  };
  return { kind: 'miss', writer };
}
