/**
 * OTLP `KeyValue` / `AnyValue` bytes straight to the span model's attribute maps (limits,
 * `project.id` dropped at the top level, int64 beyond ±(2^53−1) and non-finite doubles as
 * strings, bytes as base64, kvlists as objects, an empty value as null), without building the
 * intermediate protobuf messages. A singular field seen twice is merged as
 * protobuf merges messages: a `KeyValue.value` sent twice keeps its array or kvlist and appends.
 */
import { base64Encode } from '@bufbuild/protobuf/wire';
import {
  MAX_ATTRIBUTE_VALUE_DEPTH,
  setOwnAttribute,
  truncateAttributeText,
} from '../otlp-attributes.ts';
import { ATTR_PROJECT_ID } from '../semconv.ts';
import type { Attributes, AttributeValue } from '../span-model.ts';
import { checkDepth, skip, sub, tag, type WireReader } from './decode-wire.ts';

/** Limits applied while decoding (SPEC §6), resolved once per request. */
export interface DecodeLimits {
  maxAttributes: number;
  maxValueLength: number | undefined;
}

/** An attribute map being filled one `KeyValue` at a time, with the count limit applied. */
export interface AttributeSink {
  attributes: Attributes;
  count: number;
  /** Attributes dropped by the count limit. */
  dropped: number;
}

/** A new, empty sink. */
export function attributeSink(): AttributeSink {
  return { attributes: {}, count: 0, dropped: 0 };
}

type Kvlist = { [key: string]: AttributeValue };

const isKvlist = (value: AttributeValue | undefined): value is Kvlist =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** int64 as JSON: a number when exact, else decimal text. */
function int64Json(value: bigint | string): AttributeValue {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : BigInt(value).toString();
}

/** The stored form of a decoded value at attribute nesting `valueDepth`. */
function finalValue(value: AttributeValue | undefined, valueDepth: number): AttributeValue {
  return valueDepth > MAX_ATTRIBUTE_VALUE_DEPTH ? null : (value ?? null);
}

/**
 * Decodes one `AnyValue` (a message at `depth`); `prior` is the value already decoded for the
 * same field, merged into. `undefined` means no value was set.
 */
function anyValue(
  r: WireReader,
  end: number,
  depth: number,
  valueDepth: number,
  limits: DecodeLimits,
  prior?: AttributeValue,
): AttributeValue | undefined {
  checkDepth(depth);
  let value = prior;
  while (r.pos < end) {
    const t = tag(r);
    switch (t >>> 3) {
      case 1:
        value = truncateAttributeText(r.string(true), limits.maxValueLength);
        break;
      case 2:
        value = r.bool();
        break;
      case 3:
        value = int64Json(r.int64());
        break;
      case 4: {
        const n = r.double();
        value = Number.isFinite(n) ? n : String(n);
        break;
      }
      case 5: {
        const items = Array.isArray(value) ? value : [];
        arrayValue(r, sub(r), depth + 1, valueDepth, limits, items);
        value = items;
        break;
      }
      case 6: {
        const entries = isKvlist(value) ? value : {};
        kvlist(r, sub(r), depth + 1, valueDepth, limits, entries);
        value = entries;
        break;
      }
      case 7:
        value = truncateAttributeText(base64Encode(r.bytes()), limits.maxValueLength);
        break;
      default:
        skip(r, t);
    }
  }
  return value;
}

function arrayValue(
  r: WireReader,
  end: number,
  depth: number,
  valueDepth: number,
  limits: DecodeLimits,
  items: AttributeValue[],
): void {
  checkDepth(depth);
  while (r.pos < end) {
    const t = tag(r);
    if (t >>> 3 === 1) {
      const item = anyValue(r, sub(r), depth + 1, valueDepth + 1, limits);
      items.push(finalValue(item, valueDepth + 1));
    } else skip(r, t);
  }
}

function kvlist(
  r: WireReader,
  end: number,
  depth: number,
  valueDepth: number,
  limits: DecodeLimits,
  entries: Kvlist,
): void {
  checkDepth(depth);
  while (r.pos < end) {
    const t = tag(r);
    if (t >>> 3 === 1) keyValueInto(r, sub(r), depth + 1, valueDepth + 1, limits, entries);
    else skip(r, t);
  }
}

/**
 * Decodes one `KeyValue` into `entries`. With a `sink` (a top-level attribute map) `project.id`
 * is skipped and the count limit applies; inside a kvlist neither does.
 */
function keyValueInto(
  r: WireReader,
  end: number,
  depth: number,
  valueDepth: number,
  limits: DecodeLimits,
  entries: Kvlist,
  sink?: AttributeSink,
): void {
  checkDepth(depth);
  let key = '';
  let value: AttributeValue | undefined;
  while (r.pos < end) {
    const t = tag(r);
    switch (t >>> 3) {
      case 1:
        key = r.key();
        break;
      case 2:
        value = anyValue(r, sub(r), depth + 1, valueDepth, limits, value);
        break;
      default:
        skip(r, t);
    }
  }
  if (sink) {
    if (key === ATTR_PROJECT_ID) return;
    const isNew = !Object.hasOwn(entries, key);
    if (isNew && sink.count >= limits.maxAttributes) {
      sink.dropped++;
      return;
    }
    if (isNew) sink.count++;
  }
  setOwnAttribute(entries, key, finalValue(value, valueDepth));
}

/**
 * Decodes the attribute `KeyValue` at the reader's position (a message at `depth`) into `sink`:
 * `project.id` is skipped, a new key over the count limit is dropped and counted, a repeated key
 * overwrites the earlier value.
 */
export function attributeInto(
  r: WireReader,
  depth: number,
  limits: DecodeLimits,
  sink: AttributeSink,
): void {
  keyValueInto(r, sub(r), depth, 0, limits, sink.attributes, sink);
}
