/**
 * Flattened attributes back into objects: `gen_ai.prompt.0.role`, `gen_ai.prompt.0.content`, …
 * under the prefix `gen_ai.prompt` become `[{ role, content }]`. Numeric path segments make
 * arrays (in index order, gaps dropped). Used for the conventions that flatten messages into
 * indexed attributes (older GenAI semconv, OpenLLMetry, OpenInference).
 */
import type { Attributes } from '../span-model.ts';

type Tree = { [key: string]: Tree | unknown };

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Numeric-keyed objects into arrays, recursively. */
function arrays(value: unknown): unknown {
  if (!isTree(value)) return value;
  const keys = Object.keys(value);
  if (keys.length > 0 && keys.every((key) => /^\d+$/.test(key))) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((index) => arrays(value[String(index)]));
  }
  const out: Tree = {};
  for (const key of keys) out[key] = arrays(value[key]);
  return out;
}

/** The attributes under `prefix.` as a nested value, or null when there are none. */
export function nestedUnder(attributes: Attributes, prefix: string): unknown {
  const head = `${prefix}.`;
  let root: Tree | null = null;
  for (const key in attributes) {
    if (!key.startsWith(head)) continue;
    root ??= {};
    const path = key.slice(head.length).split('.');
    let node: Tree = root;
    for (const segment of path.slice(0, -1)) {
      let next = node[segment];
      if (!isTree(next)) {
        next = {};
        node[segment] = next;
      }
      node = next as Tree;
    }
    node[path.at(-1) ?? ''] = attributes[key];
  }
  return root === null ? null : arrays(root);
}
