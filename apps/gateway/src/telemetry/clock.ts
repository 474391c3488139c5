/**
 * Wall-clock nanoseconds with monotonic resolution: `process.hrtime.bigint()` anchored once to
 * `Date.now()`, so span durations never go backwards and cost no Date allocation.
 */

const EPOCH_OFFSET_NS = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

/** Now, in nanoseconds since the Unix epoch. */
export function nowNs(): bigint {
  return process.hrtime.bigint() + EPOCH_OFFSET_NS;
}

/** Seconds (double) from `start` to `end`, both in nanoseconds. */
export function secondsBetween(start: bigint, end: bigint): number {
  return Number(end - start) / 1e9;
}
