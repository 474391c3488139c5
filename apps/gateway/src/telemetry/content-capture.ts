/**
 * Content capture values (SPEC §5): JSON text, cut at a byte limit on a UTF-8 boundary and
 * ending with the truncation marker.
 */

/** Appended to a value that was cut. */
export const TRUNCATION_MARKER = '…[truncated]';
const MARKER_BYTES = Buffer.byteLength(TRUNCATION_MARKER);

/**
 * `text` when it fits in `maxBytes` UTF-8 bytes; otherwise its longest prefix that ends on a
 * character boundary and, with the marker appended, still fits.
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  // A UTF-16 unit is at most 3 UTF-8 bytes: short strings cannot exceed the limit.
  if (text.length * 3 <= maxBytes) return text;
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let end = Math.max(0, maxBytes - MARKER_BYTES);
  // Step back over UTF-8 continuation bytes (top two bits 10) so no character is split.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return `${bytes.subarray(0, end).toString('utf8')}${TRUNCATION_MARKER}`;
}

/** A captured value: JSON-encoded, then truncated. */
export function captureJson(value: unknown, maxBytes: number): string {
  return truncateUtf8(JSON.stringify(value), maxBytes);
}
