/**
 * Decoding of the OTLP common and resource messages (AnyValue, KeyValue, Resource,
 * InstrumentationScope) for `decode-trace-request.ts`: plain protobuf-es message objects, read
 * field by field with protobuf-es's own `BinaryReader`, the way generated decoders do it (one
 * `switch` per message, no per-field allocation).
 */
import type { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import type {
  AnyValue,
  ArrayValue,
  InstrumentationScope,
  KeyValue,
  KeyValueList,
  Resource,
} from '@to11/trace-core';

/** Deepest message nesting read, as protobuf-es's default recursion limit. */
const MAX_DEPTH = 100;

/** Reads a field tag, refusing what `BinaryReader.tag()` refuses (field 0, wire types 6 and 7). */
export function tag(r: BinaryReader): number {
  const t = r.uint32();
  if (t >>> 3 <= 0 || (t & 7) > 5)
    throw new Error(`illegal tag: field no ${t >>> 3} wire type ${t & 7}`);
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

function checkDepth(depth: number): void {
  if (depth > MAX_DEPTH) throw new Error('maximum recursion depth reached');
}

// Known fields are read by their declared type whatever the wire type, as protobuf-es does.
function anyValue(r: BinaryReader, end: number, depth: number, target?: AnyValue): AnyValue {
  checkDepth(depth);
  const m: AnyValue = target ?? {
    $typeName: 'opentelemetry.proto.common.v1.AnyValue',
    value: { case: undefined },
  };
  while (r.pos < end) {
    const t = tag(r);
    switch (t >>> 3) {
      case 1:
        m.value = { case: 'stringValue', value: r.string(true) };
        break;
      case 2:
        m.value = { case: 'boolValue', value: r.bool() };
        break;
      case 3:
        m.value = { case: 'intValue', value: BigInt(r.int64()) };
        break;
      case 4:
        m.value = { case: 'doubleValue', value: r.double() };
        break;
      case 5: {
        const prior = m.value.case === 'arrayValue' ? m.value.value : undefined;
        m.value = { case: 'arrayValue', value: arrayValue(r, sub(r), depth + 1, prior) };
        break;
      }
      case 6: {
        const prior = m.value.case === 'kvlistValue' ? m.value.value : undefined;
        m.value = { case: 'kvlistValue', value: keyValueList(r, sub(r), depth + 1, prior) };
        break;
      }
      case 7:
        m.value = { case: 'bytesValue', value: r.bytes() };
        break;
      default:
        skip(r, t);
    }
  }
  return m;
}

function arrayValue(r: BinaryReader, end: number, depth: number, target?: ArrayValue): ArrayValue {
  checkDepth(depth);
  const m: ArrayValue = target ?? {
    $typeName: 'opentelemetry.proto.common.v1.ArrayValue',
    values: [],
  };
  while (r.pos < end) {
    const t = tag(r);
    if (t >>> 3 === 1) m.values.push(anyValue(r, sub(r), depth + 1));
    else skip(r, t);
  }
  return m;
}

function keyValueList(
  r: BinaryReader,
  end: number,
  depth: number,
  target?: KeyValueList,
): KeyValueList {
  checkDepth(depth);
  const m: KeyValueList = target ?? {
    $typeName: 'opentelemetry.proto.common.v1.KeyValueList',
    values: [],
  };
  while (r.pos < end) {
    const t = tag(r);
    if (t >>> 3 === 1) m.values.push(keyValue(r, sub(r), depth + 1));
    else skip(r, t);
  }
  return m;
}

/** Decodes the KeyValue at the reader's position (until `end`), a message at nesting `depth`. */
export function keyValue(r: BinaryReader, end: number, depth: number): KeyValue {
  checkDepth(depth);
  const m: KeyValue = { $typeName: 'opentelemetry.proto.common.v1.KeyValue', key: '' };
  while (r.pos < end) {
    const t = tag(r);
    switch (t >>> 3) {
      case 1:
        m.key = r.string(true);
        break;
      case 2:
        m.value = anyValue(r, sub(r), depth + 1, m.value);
        break;
      default:
        skip(r, t);
    }
  }
  return m;
}

/** Decodes a Resource (nesting depth 3) until `end`, merging into `target` when given. */
export function resource(r: BinaryReader, end: number, target?: Resource): Resource {
  const m: Resource = target ?? {
    $typeName: 'opentelemetry.proto.resource.v1.Resource',
    attributes: [],
    droppedAttributesCount: 0,
  };
  while (r.pos < end) {
    const t = tag(r);
    switch (t >>> 3) {
      case 1:
        m.attributes.push(keyValue(r, sub(r), 4));
        break;
      case 2:
        m.droppedAttributesCount = r.uint32();
        break;
      default:
        skip(r, t);
    }
  }
  return m;
}

/** Decodes an InstrumentationScope (depth 4) until `end`, merging into `target` when given. */
export function scope(
  r: BinaryReader,
  end: number,
  target?: InstrumentationScope,
): InstrumentationScope {
  const m: InstrumentationScope = target ?? {
    $typeName: 'opentelemetry.proto.common.v1.InstrumentationScope',
    name: '',
    version: '',
    attributes: [],
    droppedAttributesCount: 0,
  };
  while (r.pos < end) {
    const t = tag(r);
    switch (t >>> 3) {
      case 1:
        m.name = r.string(true);
        break;
      case 2:
        m.version = r.string(true);
        break;
      case 3:
        m.attributes.push(keyValue(r, sub(r), 5));
        break;
      case 4:
        m.droppedAttributesCount = r.uint32();
        break;
      default:
        skip(r, t);
    }
  }
  return m;
}
