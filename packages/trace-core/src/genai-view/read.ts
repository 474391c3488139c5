/**
 * Readers of span attributes for the convention tables: each takes attribute names (first match
 * wins) and returns a clean value or null, whatever type the library wrote the value in (a token
 * count can arrive as an int, a double or a numeric string).
 */
import type { Attributes, AttributeValue } from '../span-model.ts';

/** Reads one field of a span's attributes. */
export type Reader<T> = (attributes: Attributes) => T | null;

const INT32_MAX = 2_147_483_647;

function toNumber(value: AttributeValue | undefined): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

/** A token count (a non-negative int32) from a number or numeric string. */
export function toTokens(value: unknown): number | null {
  const count = toNumber(value as AttributeValue);
  return count !== null && Number.isInteger(count) && count >= 0 && count <= INT32_MAX
    ? count
    : null;
}

/** A cost in USD (finite, non-negative). */
export function toCost(value: unknown): number | null {
  const cost = toNumber(value as AttributeValue);
  return cost !== null && cost >= 0 ? cost : null;
}

/** The first non-empty string among `names`. */
export function text(...names: string[]): Reader<string> {
  return (attributes) => {
    for (const name of names) {
      const value = attributes[name];
      if (typeof value === 'string' && value !== '') return value;
    }
    return null;
  };
}

/** The first valid token count among `names`. */
export function tokens(...names: string[]): Reader<number> {
  return (attributes) => {
    for (const name of names) {
      const count = toTokens(attributes[name]);
      if (count !== null) return count;
    }
    return null;
  };
}

/** The first valid cost among `names`. */
export function cost(...names: string[]): Reader<number> {
  return (attributes) => {
    for (const name of names) {
      const value = toCost(attributes[name]);
      if (value !== null) return value;
    }
    return null;
  };
}

/** A string attribute translated by `table` (values not in it read as null). */
export function mapped(name: string, table: Readonly<Record<string, string>>): Reader<string> {
  return (attributes) => {
    const value = attributes[name];
    return typeof value === 'string' ? (table[value.toLowerCase()] ?? null) : null;
  };
}

/** The parsed JSON of a string attribute, or null when absent or not JSON. */
export function parsedJson(attributes: Attributes, name: string): unknown {
  const value = attributes[name];
  if (typeof value !== 'string' || value === '') return null;
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}

/** A field of a JSON object held in a string attribute (e.g. Langfuse's usage details). */
export function jsonField<T>(
  name: string,
  keys: string[],
  convert: (value: unknown) => T | null,
): Reader<T> {
  return (attributes) => {
    const object = parsedJson(attributes, name);
    if (typeof object !== 'object' || object === null) return null;
    for (const key of keys) {
      const value = convert((object as Record<string, unknown>)[key]);
      if (value !== null) return value;
    }
    return null;
  };
}

/** The first reader that finds a value. */
export function either<T>(...readers: Reader<T>[]): Reader<T> {
  return (attributes) => {
    for (const read of readers) {
      const value = read(attributes);
      if (value !== null) return value;
    }
    return null;
  };
}
