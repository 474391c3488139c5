/**
 * The exact-cache key: SHA-256 of the project, the caller's endpoint, whether it streams, and
 * the request body in canonical form (keys sorted at every depth) without the members that do
 * not change the answer: `stream` (kept apart as the stream flag instead: a stream is replayed
 * from the SSE events it sent, a JSON answer from its JSON), `stream_options`, `user`,
 * `metadata`, `store`, `safety_identifier` and `prompt_cache_key`. The body is the one after
 * guardrail redaction, with the caller's `model` (so the route or provider it names is part of
 * the key).
 */
import { createHash } from 'node:crypto';
import type { JsonObject } from '../wire/json-fields.ts';

/** Top-level members left out of the key. */
export const NON_SEMANTIC_MEMBERS: ReadonlySet<string> = new Set([
  'stream',
  'stream_options',
  'user',
  'metadata',
  'store',
  'safety_identifier',
  'prompt_cache_key',
]);

/** `value` as JSON with object keys sorted at every depth. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What identifies one cacheable request. */
export interface CacheKeyInput {
  projectId: string;
  /** The caller's endpoint (`chat_completions`, `messages`, …). */
  caller: string;
  stream: boolean;
  body: JsonObject;
}

/** The hex SHA-256 key of a request. */
export function cacheKey(input: CacheKeyInput): string {
  const semantic: JsonObject = {};
  for (const [name, value] of Object.entries(input.body)) {
    if (!NON_SEMANTIC_MEMBERS.has(name)) semantic[name] = value;
  }
  return createHash('sha256')
    .update(`v1\n${input.projectId}\n${input.caller}\n${input.stream ? 'stream' : 'json'}\n`)
    .update(canonicalJson(semantic))
    .digest('hex');
}
