import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore, testEngines } from './testing.ts';

function unit(values: number[]): Float32Array {
  const norm = Math.hypot(...values);
  return Float32Array.from(values, (value) => value / norm);
}

const entry = { projectId: 'proj_a', ttlMs: 60_000, maxEntries: 10 };

describe('semantic vectors on PGlite (pgvector loaded)', () => {
  let handle: TestStore;

  beforeAll(async () => {
    handle = await openTestStore('pglite');
  });
  afterAll(() => handle.close());

  it('enables the vector extension', async () => {
    expect(await handle.store.semanticVectors.enable()).toEqual({ ok: true });
  });

  it('finds the nearest entry of a partition only', async () => {
    const vectors = handle.store.semanticVectors;
    await vectors.add({ ...entry, partition: 'p1', vector: unit([1, 0, 0]), value: 'x' });
    await vectors.add({ ...entry, partition: 'p1', vector: unit([0, 1, 0]), value: 'y' });
    await vectors.add({ ...entry, partition: 'p2', vector: unit([1, 0.05, 0]), value: 'other' });
    const match = await vectors.nearest('p1', unit([1, 0.1, 0]));
    expect(match?.value).toBe('x');
    expect(match?.similarity).toBeCloseTo(0.995, 3);
    expect(await vectors.nearest('p3', unit([1, 0, 0]))).toBeNull();
  });

  it('keeps vectors of another dimension in their own table', async () => {
    const vectors = handle.store.semanticVectors;
    await vectors.add({ ...entry, partition: 'p1', vector: unit([1, 0, 0, 0, 0]), value: 'five' });
    expect((await vectors.nearest('p1', unit([1, 0, 0, 0, 0])))?.value).toBe('five');
    expect((await vectors.nearest('p1', unit([1, 0, 0])))?.value).toBe('x');
  });

  it('keeps the newest maxEntries of a partition and skips expired entries', async () => {
    const vectors = handle.store.semanticVectors;
    for (const [i, value] of ['a', 'b', 'c'].entries()) {
      await vectors.add({
        ...entry,
        partition: 'trim',
        maxEntries: 2,
        vector: unit([1, i, 0]),
        value,
      });
    }
    expect((await vectors.nearest('trim', unit([1, 0, 0])))?.value).toBe('b');
    await vectors.add({
      ...entry,
      partition: 'old',
      ttlMs: 1,
      vector: unit([1, 0, 0]),
      value: 'z',
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await vectors.nearest('old', unit([1, 0, 0]))).toBeNull();
  });
});

describe.each(testEngines().filter((engine) => engine === 'postgres'))(
  'semantic vectors on %s without pgvector',
  (engine) => {
    let handle: TestStore;

    beforeAll(async () => {
      handle = await openTestStore(engine);
    });
    afterAll(() => handle.close());

    it('reports why the extension cannot be created', async () => {
      const enabled = await handle.store.semanticVectors.enable();
      // The machine's Postgres 15 has no pgvector; a server with it would answer ok.
      if (enabled.ok) return;
      expect(enabled.reason).toMatch(/vector/);
    });
  },
);
