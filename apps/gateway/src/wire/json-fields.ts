/**
 * Narrowing readers for untyped JSON bodies: each returns the value when it has the expected
 * type and `undefined` otherwise, so absent or malformed fields are simply "not set".
 */

/** A JSON object. */
export type JsonObject = Record<string, unknown>;

/** The value as a JSON object, or undefined. */
export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

/** The value as an array, or undefined. */
export function asArray(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** The value as a non-empty string, or undefined. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The value as a finite number, or undefined. */
export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The value as a non-negative integer, or undefined. */
export function asCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** A string or an array of strings as a non-empty string array, or undefined. */
export function asStringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value === '' ? undefined : [value];
  const list = asArray(value)?.filter((item): item is string => typeof item === 'string');
  return list && list.length > 0 ? list : undefined;
}

/** Parses a JSON string, or returns the string itself when it is not JSON. */
export function parseJsonLoose(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Tool-call arguments as captured: parsed JSON, `{}` when empty, the raw text otherwise. */
export function parseToolArguments(text: string): unknown {
  return text === '' ? {} : parseJsonLoose(text);
}

/** Tool-call arguments as one canonical JSON text (whitespace-insensitive), raw when not JSON. */
export function canonicalArguments(value: unknown): string {
  const parsed = typeof value === 'string' ? parseToolArguments(value) : (value ?? {});
  return typeof parsed === 'string' ? parsed : JSON.stringify(parsed);
}
