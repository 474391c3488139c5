/**
 * OTLP `AnyValue` / `KeyValue` lists to the span model's JSON attribute values (SPEC §9
 * "Read API encoding"), with the collector's attribute limits (SPEC §6).
 */
import { base64Encode } from '@bufbuild/protobuf/wire';
import type { AnyValue, KeyValue } from './gen/opentelemetry/proto/common/v1/common_pb.ts';
import { ATTR_PROJECT_ID } from './semconv.ts';
import type { Attributes, AttributeValue } from './span-model.ts';

/** Attribute limits applied while converting; absent means unlimited. */
export interface AttributeLimits {
  /** Keep at most this many attributes per attribute map; the rest are counted as dropped. */
  maxAttributesPerSpan?: number;
  /** Cut string values (and each string inside arrays/kvlists) to this many UTF-16 units. */
  maxAttributeValueLength?: number;
}

/** An attribute map and how many attributes the limits dropped from it. */
export interface ConvertedAttributes {
  attributes: Attributes;
  dropped: number;
}

/**
 * Nesting deeper than this is replaced by `null`. Binary decoding stops at 100 nested messages
 * (about 50 AnyValue levels); this bounds JSON input the same way.
 */
export const MAX_ATTRIBUTE_VALUE_DEPTH = 64;

/**
 * Converts one OTLP `AnyValue` to JSON: int64 outside ±(2^53−1) becomes a decimal string,
 * non-finite doubles become `"NaN"` / `"Infinity"` / `"-Infinity"`, bytes become base64,
 * arrays stay arrays, kvlists become objects, an empty value becomes `null`.
 */
export function anyValueToJson(
  value: AnyValue | undefined,
  maxLength?: number,
  depth = 0,
): AttributeValue {
  if (!value || depth > MAX_ATTRIBUTE_VALUE_DEPTH) return null;
  const v = value.value;
  switch (v.case) {
    case 'stringValue':
      return truncateAttributeText(v.value, maxLength);
    case 'boolValue':
      return v.value;
    case 'intValue': {
      const n = Number(v.value);
      return Number.isSafeInteger(n) ? n : v.value.toString();
    }
    case 'doubleValue':
      return Number.isFinite(v.value) ? v.value : String(v.value);
    case 'bytesValue':
      return truncateAttributeText(base64Encode(v.value), maxLength);
    case 'arrayValue':
      return v.value.values.map((item) => anyValueToJson(item, maxLength, depth + 1));
    case 'kvlistValue': {
      const out: Record<string, AttributeValue> = {};
      for (const kv of v.value.values) {
        setOwnAttribute(out, kv.key, anyValueToJson(kv.value, maxLength, depth + 1));
      }
      return out;
    }
    default:
      return null;
  }
}

/**
 * Converts an OTLP attribute list to a flat map. `project.id` is never copied (project binding,
 * SPEC §3). Over `maxAttributesPerSpan`, later keys are dropped and counted; a repeated key
 * overwrites the earlier value.
 */
export function keyValuesToAttributes(
  list: readonly KeyValue[],
  limits: AttributeLimits = {},
): ConvertedAttributes {
  const attributes: Attributes = {};
  const max = limits.maxAttributesPerSpan ?? Number.POSITIVE_INFINITY;
  let count = 0;
  let dropped = 0;
  for (const kv of list) {
    if (kv.key === ATTR_PROJECT_ID) continue;
    const isNew = !Object.hasOwn(attributes, kv.key);
    if (isNew && count >= max) {
      dropped++;
      continue;
    }
    if (isNew) count++;
    setOwnAttribute(attributes, kv.key, anyValueToJson(kv.value, limits.maxAttributeValueLength));
  }
  return { attributes, dropped };
}

/** Cuts `text` to `maxLength` UTF-16 units without splitting a surrogate pair. */
export function truncateAttributeText(text: string, maxLength: number | undefined): string {
  if (maxLength === undefined || text.length <= maxLength) return text;
  let end = Math.max(0, maxLength);
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end);
}

/** Sets an own property, also for the key `__proto__` (which plain assignment would not). */
export function setOwnAttribute(
  target: Record<string, AttributeValue>,
  key: string,
  value: AttributeValue,
): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}
