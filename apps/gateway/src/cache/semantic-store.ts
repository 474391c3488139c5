/**
 * Where semantic entries live: vectors (unit length, so the dot product is the cosine
 * similarity) grouped by partition, each with the stored answer. Similarity is computed in the
 * gateway: in memory over the partition's entries (the process keeps `maxEntries` in all and
 * `maxBytes` of answers, oldest partitions' oldest entries going first); in Redis, a list of
 * `id:expiry:vector` per partition (newest first, trimmed to `maxEntries`) and each answer
 * under its own key with a TTL, so a lookup reads the vectors and one answer. Both keys carry
 * the partition as a hash tag (`{…}`), so on a Redis Cluster the write's MULTI stays in one
 * slot. (`pgvector-semantic-store.ts`: the store's Postgres.) Needs no Redis
 * module. A Redis error rejects; the caller treats it as a miss.
 */
import { randomBytes } from 'node:crypto';
import type { SharedRedis } from '../shared-state/redis.ts';

/** The best entry of a partition at or above the threshold. */
export interface SemanticMatch {
  value: string;
  similarity: number;
}

/** Where entries live, as named on spans and metrics (`gateway.cache.backend`). */
export type SemanticBackend = 'memory' | 'redis' | 'postgres';

/** A semantic entry store. */
export interface SemanticStore {
  readonly name: SemanticBackend;
  find(partition: string, vector: Float32Array, threshold: number): Promise<SemanticMatch | null>;
  /** Stores an answer of `projectId` (kept as a column in Postgres; the partition holds it too). */
  add(
    partition: string,
    vector: Float32Array,
    value: string,
    ttlMs: number,
    projectId: string,
  ): Promise<void>;
}

/** `vector` scaled to unit length (null when it is zero or not finite). */
export function unitVector(values: readonly number[] | Float32Array): Float32Array | null {
  let sum = 0;
  for (const value of values) sum += value * value;
  const norm = Math.sqrt(sum);
  if (!Number.isFinite(norm) || norm === 0) return null;
  const unit = new Float32Array(values.length);
  for (let i = 0; i < values.length; i += 1) unit[i] = (values[i] as number) / norm;
  return unit;
}

/** Cosine similarity of two unit vectors; -1 when their dimensions differ. */
export function similarity(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return -1;
  let dot = 0;
  for (let i = 0; i < a.length; i += 1) dot += (a[i] as number) * (b[i] as number);
  return dot;
}

interface MemoryEntry {
  vector: Float32Array;
  value: string;
  expiresAt: number;
}

/** The in-process store. */
export class MemorySemanticStore implements SemanticStore {
  readonly name = 'memory';
  readonly #partitions = new Map<string, MemoryEntry[]>();
  #count = 0;
  #bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Entries held. */
  get size(): number {
    return this.#count;
  }

  find(partition: string, vector: Float32Array, threshold: number): Promise<SemanticMatch | null> {
    const entries = this.#partitions.get(partition);
    if (!entries) return Promise.resolve(null);
    const now = this.now();
    let best: SemanticMatch | null = null;
    for (const entry of entries) {
      if (entry.expiresAt <= now) continue;
      const score = similarity(entry.vector, vector);
      if (score >= threshold && (!best || score > best.similarity)) {
        best = { value: entry.value, similarity: score };
      }
    }
    return Promise.resolve(best);
  }

  add(partition: string, vector: Float32Array, value: string, ttlMs: number): Promise<void> {
    const size = sizeOf(value, vector);
    if (size > this.maxBytes) return Promise.resolve();
    const now = this.now();
    const entries = (this.#partitions.get(partition) ?? []).filter((entry) => {
      if (entry.expiresAt > now) return true;
      this.#forget(entry);
      return false;
    });
    entries.push({ vector, value, expiresAt: now + ttlMs });
    this.#count += 1;
    this.#bytes += size;
    // The partition just written becomes the newest.
    this.#partitions.delete(partition);
    this.#partitions.set(partition, entries);
    this.#evict();
    return Promise.resolve();
  }

  #evict(): void {
    for (const [partition, entries] of this.#partitions) {
      while (entries.length > 0 && (this.#count > this.maxEntries || this.#bytes > this.maxBytes)) {
        this.#forget(entries.shift() as MemoryEntry);
      }
      if (entries.length === 0) this.#partitions.delete(partition);
      if (this.#count <= this.maxEntries && this.#bytes <= this.maxBytes) return;
    }
  }

  #forget(entry: MemoryEntry): void {
    this.#count -= 1;
    this.#bytes -= sizeOf(entry.value, entry.vector);
  }
}

function sizeOf(value: string, vector: Float32Array): number {
  return value.length + vector.byteLength;
}

function encodeVector(vector: Float32Array): string {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64');
}

function decodeVector(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  const copy = new Uint8Array(bytes.byteLength - (bytes.byteLength % 4));
  copy.set(bytes.subarray(0, copy.byteLength));
  return new Float32Array(copy.buffer);
}

/** The shared store on the gateway's Redis connection. */
export class RedisSemanticStore implements SemanticStore {
  readonly name = 'redis';

  constructor(
    private readonly redis: SharedRedis,
    private readonly prefix: string,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  #listKey(partition: string): string {
    return `${this.prefix}semantic:{${partition}}`;
  }

  #answerKey(partition: string, id: string): string {
    return `${this.prefix}semantic-answer:{${partition}}:${id}`;
  }

  async find(
    partition: string,
    vector: Float32Array,
    threshold: number,
  ): Promise<SemanticMatch | null> {
    const items = await this.redis.lrange(this.#listKey(partition), 0, this.maxEntries - 1);
    const now = this.now();
    let best: { id: string; similarity: number } | null = null;
    for (const item of items) {
      const [id, expiry, encoded] = item.split(':');
      if (!id || !encoded || Number(expiry) <= now) continue;
      const score = similarity(decodeVector(encoded), vector);
      if (score >= threshold && (!best || score > best.similarity))
        best = { id, similarity: score };
    }
    if (!best) return null;
    const value = await this.redis.get(this.#answerKey(partition, best.id));
    return value === null ? null : { value, similarity: best.similarity };
  }

  async add(partition: string, vector: Float32Array, value: string, ttlMs: number): Promise<void> {
    const id = randomBytes(12).toString('hex');
    const list = this.#listKey(partition);
    await this.redis
      .multi()
      .set(this.#answerKey(partition, id), value, 'PX', ttlMs)
      .lpush(list, `${id}:${this.now() + ttlMs}:${encodeVector(vector)}`)
      .ltrim(list, 0, this.maxEntries - 1)
      .pexpire(list, ttlMs)
      .exec();
  }
}
