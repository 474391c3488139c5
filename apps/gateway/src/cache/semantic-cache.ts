/**
 * The semantic cache's lookup and write (`[cache.semantic]`): the request's text (see
 * `semantic-text.ts`) is embedded, and the most similar stored answer of the same partition,
 * at or above `similarity_threshold`, is served. A partition is the project, the caller's
 * endpoint, streamed or not, the embeddings model and every member of the request but the
 * embedded text (so models, tools, parameters and earlier messages must match exactly). The
 * store is chosen once per app and `[cache.semantic] store`: `auto` (and an unavailable choice)
 * takes pgvector in the store's database when `CREATE EXTENSION vector` succeeds there, else
 * Redis on the shared-state connection, else memory, and logs where entries went. `auto` skips
 * pgvector on the embedded store: PGlite runs its queries on the gateway's own thread, and
 * `bench/semantic-cache.ts` measured its lookups slower than memory's at 1k and 10k entries.
 */
import type { Store } from '@to11/store';
import type { AppDeps } from '../env.ts';
import type { CallerFormat } from '../invoke/exchange.ts';
import { cacheKey } from './cache-key.ts';
import { type EmbedRequest, embedPrompt } from './embed-prompt.ts';
import { PgvectorSemanticStore } from './pgvector-semantic-store.ts';
import { MemorySemanticStore, RedisSemanticStore, type SemanticStore } from './semantic-store.ts';
import { semanticParts } from './semantic-text.ts';
import type { SemanticCacheSettings } from './settings.ts';

/** What the embeddings call needs besides the text. */
export type SemanticCallContext = Omit<EmbedRequest, 'deps' | 'model' | 'text'>;

/** What the semantic lookup found: a stored answer, or how to store this one. */
export interface SemanticResult {
  store: SemanticStore;
  hit: { value: string; similarity: number } | null;
  /** Stores the serialised answer of this request (undefined on a hit). */
  write: ((value: string, ttlMs: number) => Promise<void>) | undefined;
}

const stores = new WeakMap<AppDeps, { key: string; store: Promise<SemanticStore> }>();
const pgvector = new WeakMap<Store, Promise<{ ok: true } | { ok: false; reason: string }>>();

async function chooseStore(deps: AppDeps, settings: SemanticCacheSettings): Promise<SemanticStore> {
  const cache = deps.config.cache;
  const { store: choice, maxEntries } = settings;
  const fallback = (): SemanticStore =>
    deps.redis
      ? new RedisSemanticStore(deps.redis, cache.redisPrefix, maxEntries)
      : new MemorySemanticStore(maxEntries, cache.maxBytes);
  let chosen: SemanticStore;
  let reason: string | undefined;
  if (choice === 'memory') {
    chosen = new MemorySemanticStore(maxEntries, cache.maxBytes);
  } else if (choice === 'redis') {
    chosen = fallback();
    if (!deps.redis) reason = 'no REDIS_URL or REDIS_CLUSTER_NODES';
  } else if (choice === 'auto' && deps.store.engine === 'pglite') {
    chosen = fallback();
    reason = 'the embedded store: pgvector on PGlite is slower than memory';
  } else {
    let probe = pgvector.get(deps.store);
    if (!probe) {
      probe = deps.store.semanticVectors.enable();
      pgvector.set(deps.store, probe);
    }
    const enabled = await probe;
    if (enabled.ok) {
      chosen = new PgvectorSemanticStore(deps.store.semanticVectors, maxEntries);
    } else {
      chosen = fallback();
      reason = `pgvector unavailable: ${enabled.reason}`;
    }
  }
  const log = { choice, backend: chosen.name, engine: deps.store.engine };
  if (reason !== undefined && choice !== 'auto') {
    deps.logger.warn(
      { ...log, reason },
      `semantic cache: store "${choice}" unavailable, entries in ${chosen.name}`,
    );
  } else {
    deps.logger.info(
      { ...log, ...(reason ? { reason } : {}) },
      `semantic cache entries in ${chosen.name}`,
    );
  }
  return chosen;
}

/**
 * The store of an app, chosen at its first use (and again when a reload changes `store` or
 * `max_entries`); `startGateway` asks at start, so the choice is logged then.
 */
export function semanticStore(
  deps: AppDeps,
  settings: SemanticCacheSettings,
): Promise<SemanticStore> {
  const key = `${settings.store}:${settings.maxEntries}`;
  const known = stores.get(deps);
  if (known && known.key === key) return known.store;
  const store = chooseStore(deps, settings);
  stores.set(deps, { key, store });
  return store;
}

/** Looks up a request; null when it is not semantically cacheable or has no embedding. */
export async function lookupSemantic(
  deps: AppDeps,
  query: {
    projectId: string;
    caller: CallerFormat;
    stream: boolean;
    body: Record<string, unknown>;
    /** Skip the lookup (`cache-control: no-cache`); the answer is still stored. */
    bypass: boolean;
    call: SemanticCallContext;
  },
): Promise<SemanticResult | null> {
  const settings = deps.config.cache.semantic;
  if (!settings) return null;
  const parts = semanticParts(query.caller, query.body, settings.scope);
  if (!parts) return null;
  const store = await semanticStore(deps, settings);
  const labels = { backend: store.name };
  const vector = await embedPrompt({
    ...query.call,
    deps,
    model: settings.model,
    text: parts.text,
  });
  if (!vector) {
    deps.metrics.semanticCacheLookups.inc({ ...labels, result: 'no_embedding' });
    return null;
  }
  const partition = cacheKey({
    projectId: query.projectId,
    caller: query.caller,
    stream: query.stream,
    body: { embedding_model: settings.model, scope: settings.scope, rest: parts.partition },
  });
  if (!query.bypass) {
    try {
      const hit = await store.find(partition, vector, settings.similarityThreshold);
      deps.metrics.semanticCacheLookups.inc({ ...labels, result: hit ? 'hit' : 'miss' });
      if (hit) return { store, hit, write: undefined };
    } catch {
      deps.metrics.semanticCacheLookups.inc({ ...labels, result: 'error' });
    }
  } else {
    deps.metrics.semanticCacheLookups.inc({ ...labels, result: 'bypass' });
  }
  return {
    store,
    hit: null,
    write: (value, ttlMs) => store.add(partition, vector, value, ttlMs, query.projectId),
  };
}
