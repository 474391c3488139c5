/**
 * W3C trace and span ids: random generation and validation.
 *
 * Ids are lowercase hex, never all zeros (W3C Trace Context §3.2.2.3, §3.2.2.4). Randomness
 * comes from the Web Crypto API (`globalThis.crypto`), which needs no I/O, drawn into a pool
 * so that the per-id cost is a slice and a hex encoding, not a crypto call.
 */
import { bytesToHex } from './hex.ts';

const TRACE_ID_PATTERN = /^[0-9a-f]{32}$/;
const SPAN_ID_PATTERN = /^[0-9a-f]{16}$/;
const ALL_ZERO_PATTERN = /^0+$/;

/** Random bytes are drawn 8 KiB at a time: one getRandomValues call serves ~500 trace ids. */
const POOL_SIZE = 8192;
const pool = new Uint8Array(POOL_SIZE);
let poolOffset = POOL_SIZE;

/** Lowercase hex of `byteLength` bytes taken from the pool, no two ids sharing a byte. */
function takeHex(byteLength: number): string {
  if (poolOffset + byteLength > POOL_SIZE) {
    globalThis.crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  const start = poolOffset;
  poolOffset += byteLength;
  return bytesToHex(pool.subarray(start, poolOffset));
}

function randomNonZeroHex(byteLength: number): string {
  for (;;) {
    const hex = takeHex(byteLength);
    if (!ALL_ZERO_PATTERN.test(hex)) return hex;
  }
}

/** A new random trace id: 32 lowercase hex characters, never all zeros. */
export function randomTraceId(): string {
  return randomNonZeroHex(16);
}

/** A new random span id: 16 lowercase hex characters, never all zeros. */
export function randomSpanId(): string {
  return randomNonZeroHex(8);
}

/** True for 32 lowercase hex characters that are not all zeros. */
export function isValidTraceId(value: string): boolean {
  return TRACE_ID_PATTERN.test(value) && !ALL_ZERO_PATTERN.test(value);
}

/** True for 16 lowercase hex characters that are not all zeros. */
export function isValidSpanId(value: string): boolean {
  return SPAN_ID_PATTERN.test(value) && !ALL_ZERO_PATTERN.test(value);
}
