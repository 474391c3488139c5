/**
 * Wire-level helpers of the OTLP protobuf decoder, over protobuf-es's own `BinaryReader`, the way
 * generated decoders read messages: one `switch` per message, known fields read by their
 * declared type whatever the wire type, unknown fields skipped.
 */
import type { BinaryReader, WireType } from '@bufbuild/protobuf/wire';

/** Deepest message nesting read, as protobuf-es's default recursion limit. */
const MAX_DEPTH = 100;

/** Reads a field tag, refusing what `BinaryReader.tag()` refuses (field 0, wire types 6 and 7). */
export function tag(r: BinaryReader): number {
  const t = r.uint32();
  if (t >>> 3 <= 0 || (t & 7) > 5) {
    throw new Error(`illegal tag: field no ${t >>> 3} wire type ${t & 7}`);
  }
  return t;
}

/** Skips the value of an unknown field. */
export function skip(r: BinaryReader, t: number): void {
  r.skip((t & 7) as WireType, t >>> 3);
}

/** End offset of the length-delimited message at the reader's position. */
export function sub(r: BinaryReader): number {
  const length = r.uint32();
  const end = r.pos + length;
  if (end > r.len) throw new Error('premature EOF');
  return end;
}

/** Throws when a message sits deeper than protobuf-es would read. */
export function checkDepth(depth: number): void {
  if (depth > MAX_DEPTH) throw new Error('maximum recursion depth reached');
}
