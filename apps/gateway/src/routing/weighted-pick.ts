/**
 * Weighted random choice (reference §8.2 `weighted` and A/B experiments): each candidate with
 * probability weight / Σweights; weights are relative integers, 0 never picked unless every
 * weight is 0 (then the first).
 */

/** A source of uniform numbers in [0, 1); `Math.random` unless a test seeds one. */
export type Random = () => number;

/** The picked item, or null for an empty list. */
export function weightedPick<T extends { weight: number }>(
  items: readonly T[],
  random: Random,
): T | null {
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  if (total <= 0) return items[0] ?? null;
  let roll = random() * total;
  for (const item of items) {
    roll -= item.weight;
    if (roll < 0 && item.weight > 0) return item;
  }
  return items.findLast((item) => item.weight > 0) ?? null;
}

/** A seeded generator (mulberry32), for reproducible splits in tests and benches. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
