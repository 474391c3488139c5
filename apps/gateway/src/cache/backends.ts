/**
 * Where cached answers live: in this process (a bounded LRU, by entry count and by bytes, with
 * a TTL per entry), or in Redis with `REDIS_URL` (`SET … PX`, shared by every gateway process).
 * A Redis error rejects; the caller treats it as a miss and keeps serving.
 */
import type { SharedRedis } from '../shared-state/redis.ts';

/** A cache store of serialised entries. */
export interface CacheBackend {
  readonly name: 'memory' | 'redis';
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
}

interface MemoryEntry {
  value: string;
  expiresAt: number;
}

/** The in-process backend. */
export class MemoryCache implements CacheBackend {
  readonly name = 'memory';
  readonly #entries = new Map<string, MemoryEntry>();
  #bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Entries held (expired ones included until they are read or evicted). */
  get size(): number {
    return this.#entries.size;
  }

  /** Bytes held (UTF-16 length of the values, as a cheap proxy). */
  get bytes(): number {
    return this.#bytes;
  }

  get(key: string): Promise<string | null> {
    const entry = this.#entries.get(key);
    if (!entry) return Promise.resolve(null);
    this.#delete(key, entry);
    if (entry.expiresAt <= this.now()) return Promise.resolve(null);
    this.#entries.set(key, entry);
    this.#bytes += entry.value.length;
    return Promise.resolve(entry.value);
  }

  set(key: string, value: string, ttlMs: number): Promise<void> {
    const known = this.#entries.get(key);
    if (known) this.#delete(key, known);
    if (value.length > this.maxBytes) return Promise.resolve();
    this.#entries.set(key, { value, expiresAt: this.now() + ttlMs });
    this.#bytes += value.length;
    for (const [oldest, entry] of this.#entries) {
      if (this.#entries.size <= this.maxEntries && this.#bytes <= this.maxBytes) break;
      this.#delete(oldest, entry);
    }
    return Promise.resolve();
  }

  #delete(key: string, entry: MemoryEntry): void {
    this.#entries.delete(key);
    this.#bytes -= entry.value.length;
  }
}

/** The shared backend on the gateway's Redis connection. */
export class RedisCache implements CacheBackend {
  readonly name = 'redis';

  constructor(
    private readonly redis: SharedRedis,
    private readonly prefix: string,
  ) {}

  get(key: string): Promise<string | null> {
    return this.redis.get(this.prefix + key);
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.prefix + key, value, 'PX', ttlMs);
  }
}
