/**
 * The semantic cache's entries in the store, with pgvector (SPEC §10 "Guardrails and cache"):
 * one table per embedding dimension, `to11_semantic_cache_d<N>`, made at run time and not by a
 * migration, because the `vector` extension may be missing (the gateway then keeps its entries
 * in Redis or in memory). Each row holds the project, the partition (a hash of everything but
 * the embedded text), the unit vector, the serialised answer and its expiry. An HNSW index
 * (cosine distance) serves the nearest-neighbour search, a btree on `(partition, id)` the
 * partition filter and the trim to the newest `maxEntries` of a partition; expired rows are
 * skipped at once and deleted at most once a minute by the process that writes.
 */
import type { RawSql } from './database.ts';
import { messageOf } from './errors.ts';

/** pgvector's HNSW index takes vectors of at most this many dimensions; larger ones scan. */
const HNSW_MAX_DIMENSIONS = 2000;

/** Shortest gap between two sweeps of expired rows of one table. */
const SWEEP_INTERVAL_MS = 60_000;

/** The best entry of a partition, whatever its similarity. */
export interface SemanticVectorMatch {
  value: string;
  similarity: number;
}

/** One entry to store. */
export interface SemanticVectorEntry {
  projectId: string;
  partition: string;
  /** Unit length: the cosine similarity is then 1 - the cosine distance. */
  vector: Float32Array;
  value: string;
  ttlMs: number;
  /** Entries kept per partition (the newest). */
  maxEntries: number;
}

/** Semantic cache entries on pgvector. */
export interface SemanticVectors {
  /**
   * `CREATE EXTENSION IF NOT EXISTS vector`: `ok` when vectors can be stored here, else the
   * database's reason (no extension installed, no privilege).
   */
  enable(): Promise<{ ok: true } | { ok: false; reason: string }>;
  /** The most similar live entry of `partition` (null when it has none). */
  nearest(partition: string, vector: Float32Array): Promise<SemanticVectorMatch | null>;
  add(entry: SemanticVectorEntry): Promise<void>;
  /** Deletes every entry of every dimension (tests, benches). */
  clear(): Promise<void>;
}

function tableOf(dimensions: number): string {
  return `to11_semantic_cache_d${dimensions}`;
}

function literal(vector: Float32Array): string {
  return `[${Array.from(vector).join(',')}]`;
}

/** The store's pgvector operations on `raw`. */
export function createSemanticVectors(raw: RawSql): SemanticVectors {
  const tables = new Map<number, Promise<string>>();
  const swept = new Map<string, number>();

  const create = async (dimensions: number): Promise<string> => {
    const table = tableOf(dimensions);
    const statements = [
      `create table if not exists ${table} (
        id bigint generated always as identity primary key,
        project_id text not null,
        partition text not null,
        embedding vector(${dimensions}) not null,
        value text not null,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null
      )`,
      `create index if not exists ${table}_partition_idx on ${table} (partition, id)`,
      `create index if not exists ${table}_expires_idx on ${table} (expires_at)`,
      ...(dimensions <= HNSW_MAX_DIMENSIONS
        ? [
            `create index if not exists ${table}_embedding_idx on ${table} using hnsw (embedding vector_cosine_ops)`,
          ]
        : []),
    ];
    for (const statement of statements) {
      try {
        await raw.query(statement);
      } catch (error) {
        // Two processes creating the same table at once: one loses on the catalog's unique
        // index; the table is there for both afterwards.
        if (!/already exists|duplicate key/.test(messageOf(error))) throw error;
      }
    }
    return table;
  };

  const table = (dimensions: number): Promise<string> => {
    let known = tables.get(dimensions);
    if (!known) {
      known = create(dimensions);
      known.catch(() => tables.delete(dimensions));
      tables.set(dimensions, known);
    }
    return known;
  };

  return {
    async enable() {
      try {
        await raw.query('create extension if not exists vector');
        return { ok: true };
      } catch (error) {
        return { ok: false, reason: messageOf(error) };
      }
    },

    async nearest(partition, vector) {
      const name = await table(vector.length);
      const rows = await raw.query<{ value: string; distance: number }>(
        `select value, embedding <=> $2::vector as distance from ${name}
         where partition = $1 and expires_at > now()
         order by embedding <=> $2::vector limit 1`,
        [partition, literal(vector)],
      );
      const row = rows[0];
      return row ? { value: row.value, similarity: 1 - Number(row.distance) } : null;
    },

    async add(entry) {
      const name = await table(entry.vector.length);
      await raw.query(
        `insert into ${name} (project_id, partition, embedding, value, expires_at)
         values ($1, $2, $3::vector, $4, now() + $5 * interval '1 millisecond')`,
        [entry.projectId, entry.partition, literal(entry.vector), entry.value, entry.ttlMs],
      );
      await raw.query(
        `delete from ${name} where partition = $1 and id <= (
           select id from ${name} where partition = $1 order by id desc offset $2 limit 1)`,
        [entry.partition, entry.maxEntries],
      );
      const now = Date.now();
      if (now - (swept.get(name) ?? 0) >= SWEEP_INTERVAL_MS) {
        swept.set(name, now);
        await raw.query(`delete from ${name} where expires_at <= now()`);
      }
    },

    async clear() {
      for (const [, known] of tables) {
        const name = await known.catch(() => null);
        if (name) await raw.query(`delete from ${name}`);
      }
    },
  };
}
