/**
 * A protobuf writer for one job: the OTLP/JSON transcoder (`json-to-wire.ts`). protobuf-es's
 * `BinaryWriter` copies a nested message's bytes at every `join()` and allocates for every
 * string, which made transcoding cost five times the JSON parse. This one writes into one
 * growing buffer and gives every length prefix five bytes, patched in place once the content
 * is written (a varint padded with continuation bits: valid protobuf that every decoder reads,
 * protobuf-es's `BinaryReader` included).
 */
const encoder = new TextEncoder();

/** Length-delimited wire type (2) in a tag. */
const LEN = 2;

export class WireWriter {
  #buf = new Uint8Array(4096);
  #view = new DataView(this.#buf.buffer);
  #pos = 0;

  #room(bytes: number): void {
    if (this.#pos + bytes <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#pos + bytes) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#pos));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }

  /** A varint of a non-negative integer below 2^32. */
  varint(value: number): this {
    this.#room(5);
    let v = value >>> 0;
    while (v > 0x7f) {
      this.#buf[this.#pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.#buf[this.#pos++] = v;
    return this;
  }

  /** A varint of a 64-bit value (two's complement for negatives, as int64). */
  varint64(value: bigint): this {
    this.#room(10);
    let v = BigInt.asUintN(64, value);
    while (v > 0x7fn) {
      this.#buf[this.#pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.#buf[this.#pos++] = Number(v);
    return this;
  }

  tag(fieldNo: number, wireType: number): this {
    return this.varint((fieldNo << 3) | wireType);
  }

  fixed32(value: number): this {
    this.#room(4);
    this.#view.setUint32(this.#pos, value, true);
    this.#pos += 4;
    return this;
  }

  fixed64(value: bigint): this {
    this.#room(8);
    this.#view.setBigUint64(this.#pos, BigInt.asUintN(64, value), true);
    this.#pos += 8;
    return this;
  }

  double(value: number): this {
    this.#room(8);
    this.#view.setFloat64(this.#pos, value, true);
    this.#pos += 8;
    return this;
  }

  /** Opens a length-delimited field; returns what {@link close} needs. */
  open(fieldNo: number): number {
    this.tag(fieldNo, LEN);
    this.#room(5);
    this.#pos += 5;
    return this.#pos;
  }

  /** Closes the field {@link open} returned `start` for: patches its five-byte length. */
  close(start: number): void {
    let length = this.#pos - start;
    for (let i = start - 5; i < start - 1; i++) {
      this.#buf[i] = (length & 0x7f) | 0x80;
      length >>>= 7;
    }
    this.#buf[start - 1] = length & 0x7f;
  }

  bytes(fieldNo: number, value: Uint8Array): this {
    const start = this.open(fieldNo);
    this.#room(value.length);
    this.#buf.set(value, this.#pos);
    this.#pos += value.length;
    this.close(start);
    return this;
  }

  string(fieldNo: number, value: string): this {
    const start = this.open(fieldNo);
    // UTF-8 takes at most three bytes per UTF-16 code unit.
    this.#room(value.length * 3);
    this.#pos += encoder.encodeInto(value, this.#buf.subarray(this.#pos)).written;
    this.close(start);
    return this;
  }

  /** The bytes written. */
  finish(): Uint8Array {
    return this.#buf.subarray(0, this.#pos);
  }
}
