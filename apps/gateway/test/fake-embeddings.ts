/**
 * Deterministic embeddings of the fake provider: a bag of words, each lowercase word hashed
 * (FNV-1a) to one of `dimensions` components, so texts sharing most words are near (a
 * paraphrase adding a word or changing case and punctuation stays above 0.9) and texts
 * sharing none are orthogonal but for hash collisions.
 */

/** Default vector length (`dimensions` in the request wins). */
export const FAKE_EMBEDDING_DIMENSIONS = 256;

function fnv1a(word: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < word.length; i += 1) {
    hash ^= word.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The bag-of-words vector of `text` (not normalised; zero for a text without words). */
export function bagOfWords(text: string, dimensions = FAKE_EMBEDDING_DIMENSIONS): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const index = fnv1a(word) % dimensions;
    vector[index] = (vector[index] as number) + 1;
  }
  return vector;
}

/** The `data` of an embeddings answer for the request's `input`, `dimensions` and format. */
export function fakeEmbeddings(json: Record<string, unknown>): unknown[] {
  const inputs = Array.isArray(json.input) ? json.input : [json.input];
  const dimensions =
    typeof json.dimensions === 'number' && json.dimensions > 0
      ? json.dimensions
      : FAKE_EMBEDDING_DIMENSIONS;
  return inputs.map((input, index) => {
    const vector = bagOfWords(typeof input === 'string' ? input : '', dimensions);
    const embedding =
      json.encoding_format === 'base64'
        ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
        : vector;
    return { object: 'embedding', index, embedding };
  });
}
