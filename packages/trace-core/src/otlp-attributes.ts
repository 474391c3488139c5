/**
 * The collector's attribute limits (SPEC §6) and the rules the OTLP span decoder
 * (`otlp/decode-attributes.ts`) applies to attribute values (SPEC §9 "Read API encoding").
 */
import type { AttributeValue } from './span-model.ts';

/** Attribute limits applied while decoding; absent means unlimited. */
export interface AttributeLimits {
  /** Keep at most this many attributes per attribute map; the rest are counted as dropped. */
  maxAttributesPerSpan?: number;
  /** Cut string values (and each string inside arrays/kvlists) to this many UTF-16 units. */
  maxAttributeValueLength?: number;
}

/**
 * Nesting deeper than this is replaced by `null`. Binary decoding stops at 100 nested messages
 * (about 50 AnyValue levels), so only a decoder without that limit would reach it.
 */
export const MAX_ATTRIBUTE_VALUE_DEPTH = 64;

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
