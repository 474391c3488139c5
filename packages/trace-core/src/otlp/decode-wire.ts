/**
 * Wire-level helpers of the OTLP protobuf decoder, over protobuf-es's own `BinaryReader`, the way
 * generated decoders read messages: one `switch` per message, known fields read by their
 * declared type whatever the wire type, unknown fields skipped.
 */
import { BinaryReader, type WireType } from '@bufbuild/protobuf/wire';

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

/** Slots of the attribute-key cache (a power of two). */
const KEY_SLOTS = 128;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A `BinaryReader` that also reads attribute keys through a small cache: the same few keys come
 * with every span, and comparing their bytes with the last key seen in a slot is cheaper than
 * decoding UTF-8 again. Cached keys were checked as UTF-8 when first decoded.
 */
export class WireReader extends BinaryReader {
  static readonly #keyBytes: (Uint8Array | undefined)[] = new Array(KEY_SLOTS);
  static readonly #keyText: string[] = new Array(KEY_SLOTS);

  /** Reads a string field that is likely to repeat (an attribute key). */
  key(): string {
    const length = this.uint32();
    const start = this.pos;
    const end = start + length;
    if (end > this.len) throw new Error('premature EOF');
    this.pos = end;
    const buf = this.buf;
    if (length === 0) return '';
    const slot =
      (length * 31 + (buf[start] as number) * 7 + (buf[end - 1] as number)) & (KEY_SLOTS - 1);
    const cached = WireReader.#keyBytes[slot];
    if (cached !== undefined && cached.length === length) {
      let same = true;
      for (let i = 0; i < length; i++) {
        if (cached[i] !== buf[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return WireReader.#keyText[slot] as string;
    }
    const bytes = buf.subarray(start, end);
    const text = strictUtf8.decode(bytes);
    // A copy: the cache must not keep the whole request buffer alive.
    WireReader.#keyBytes[slot] = bytes.slice();
    WireReader.#keyText[slot] = text;
    return text;
  }
}
