/**
 * The semantic store on the gateway's own database, with pgvector (`@to11/store`
 * `semanticVectors`): the nearest neighbour is found by the database (HNSW index, cosine
 * distance) within the partition, so a lookup reads one row whatever the partition's size.
 * A database error rejects; the caller treats it as a miss.
 */
import type { SemanticVectors } from '@to11/store';
import type { SemanticMatch, SemanticStore } from './semantic-store.ts';

/** Entries in the store's `to11_semantic_cache_d<N>` tables. */
export class PgvectorSemanticStore implements SemanticStore {
  readonly name = 'postgres';

  constructor(
    private readonly vectors: SemanticVectors,
    private readonly maxEntries: number,
  ) {}

  async find(
    partition: string,
    vector: Float32Array,
    threshold: number,
  ): Promise<SemanticMatch | null> {
    const match = await this.vectors.nearest(partition, vector);
    return match && match.similarity >= threshold ? match : null;
  }

  add(
    partition: string,
    vector: Float32Array,
    value: string,
    ttlMs: number,
    projectId: string,
  ): Promise<void> {
    return this.vectors.add({
      projectId,
      partition,
      vector,
      value,
      ttlMs,
      maxEntries: this.maxEntries,
    });
  }
}
