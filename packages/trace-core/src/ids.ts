/**
 * W3C trace and span ids: random generation and validation.
 *
 * Ids are lowercase hex, never all zeros (W3C Trace Context §3.2.2.3, §3.2.2.4). Randomness
 * comes from the Web Crypto API (`globalThis.crypto`), which needs no I/O.
 */
import { bytesToHex, isAllZeroBytes } from './hex.ts';

const TRACE_ID_PATTERN = /^[0-9a-f]{32}$/;
const SPAN_ID_PATTERN = /^[0-9a-f]{16}$/;
const ALL_ZERO_PATTERN = /^0+$/;

function randomNonZeroHex(byteLength: number): string {
  const bytes = new Uint8Array(byteLength);
  do {
    globalThis.crypto.getRandomValues(bytes);
  } while (isAllZeroBytes(bytes));
  return bytesToHex(bytes);
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
