/**
 * The message texts of a GenAI request or answer, found without knowing its wire format: under
 * the roots where the formats keep messages (chat `messages`, Anthropic `system`/`messages`,
 * Responses `input`/`instructions`, embeddings `input`, images `prompt`; answers `choices`,
 * `content`, `output`), every string reached through `content`, `text`, `output` and
 * `message` members or array elements. Roles, ids, tool arguments and image data are not
 * message text and are left alone.
 */
import type { JsonObject } from '../wire/json-fields.ts';

/** Where request texts live. */
export const INPUT_ROOTS = ['messages', 'system', 'input', 'instructions', 'prompt'] as const;
/** Where answer texts live. */
export const OUTPUT_ROOTS = ['choices', 'content', 'output'] as const;

/** Members that hold message text (`parts`: the gateway's own telemetry messages). */
const TEXT_MEMBERS = ['content', 'text', 'output', 'message', 'parts'];

/** Rewrites one text; returns it unchanged when nothing applies. */
export type TextRewrite = (text: string) => string;

function rewriteNode(node: unknown, rewrite: TextRewrite): unknown {
  if (typeof node === 'string') return rewrite(node);
  if (Array.isArray(node)) {
    let copy: unknown[] | undefined;
    node.forEach((item, index) => {
      const next = rewriteNode(item, rewrite);
      if (next !== item) {
        copy ??= [...node];
        copy[index] = next;
      }
    });
    return copy ?? node;
  }
  if (typeof node !== 'object' || node === null) return node;
  const record = node as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const member of TEXT_MEMBERS) {
    if (!(member in record)) continue;
    const next = rewriteNode(record[member], rewrite);
    if (next !== record[member]) {
      copy ??= { ...record };
      copy[member] = next;
    }
  }
  return copy ?? node;
}

/**
 * `body` with `rewrite` applied to every message text under `roots`; the same object when no
 * text changed (only changed branches are copied).
 */
export function rewriteTexts(
  body: JsonObject,
  roots: readonly string[],
  rewrite: TextRewrite,
): JsonObject {
  let copy: JsonObject | undefined;
  for (const root of roots) {
    if (!(root in body)) continue;
    const next = rewriteNode(body[root], rewrite);
    if (next !== body[root]) {
      copy ??= { ...body };
      copy[root] = next as JsonObject[string];
    }
  }
  return copy ?? body;
}
