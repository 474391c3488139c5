/** The span panel's attribute search: a key or a value containing the text, any case. */
import type { Attributes } from '../api/types.ts';

/** The entries of `attributes` whose key or value (as JSON text) contains `query`, sorted by key. */
export function matchingAttributes(
  attributes: Attributes,
  query: string,
): [string, Attributes[string]][] {
  const needle = query.trim().toLowerCase();
  return Object.entries(attributes)
    .filter(
      ([key, value]) =>
        needle === '' ||
        key.toLowerCase().includes(needle) ||
        (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''))
          .toLowerCase()
          .includes(needle),
    )
    .sort(([a], [b]) => a.localeCompare(b));
}
