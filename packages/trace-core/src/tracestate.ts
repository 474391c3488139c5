/**
 * W3C Trace Context Level 1 `tracestate` header: parse and format.
 *
 * https://www.w3.org/TR/trace-context-1/#tracestate-header
 * A comma-separated list of at most 32 `key=value` members, OWS around commas, empty members
 * allowed. If any member is invalid, or there are duplicates or more than 32 members, the whole
 * header is invalid and must be discarded (§3.3.1.1, §3.3.1.3).
 */

/** One `tracestate` list-member. */
export interface TracestateEntry {
  key: string;
  value: string;
}

/** Maximum number of list-members (§3.3.1.1). */
export const TRACESTATE_MAX_MEMBERS = 32;

/** `simple-key` or `tenant-id "@" system-id` (§3.3.1.3.1). */
const KEY_PATTERN =
  /^(?:[a-z][a-z0-9_\-*/]{0,255}|[a-z0-9][a-z0-9_\-*/]{0,240}@[a-z][a-z0-9_\-*/]{0,13})$/;
/** 1–256 printable ASCII characters except `,` and `=`, not ending with a space (§3.3.1.3.2). */
const VALUE_PATTERN = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
const OWS_EDGES = /^[ \t]+|[ \t]+$/g;

/**
 * Parses a `tracestate` header value into its members, in order. Returns `null` when the header
 * is absent or invalid (the caller discards it); an empty or blank header gives `[]`. Empty
 * list-members are skipped and do not count towards the 32-member limit. Never throws.
 */
export function parseTracestate(value: string | null | undefined): TracestateEntry[] | null {
  if (typeof value !== 'string') return null;
  const entries: TracestateEntry[] = [];
  const seen = new Set<string>();
  for (const rawMember of value.split(',')) {
    const member = rawMember.replace(OWS_EDGES, '');
    if (member === '') continue;
    const eq = member.indexOf('=');
    if (eq <= 0) return null;
    const key = member.slice(0, eq);
    const memberValue = member.slice(eq + 1);
    if (!KEY_PATTERN.test(key) || !VALUE_PATTERN.test(memberValue)) return null;
    if (seen.has(key)) return null;
    seen.add(key);
    entries.push({ key, value: memberValue });
    if (entries.length > TRACESTATE_MAX_MEMBERS) return null;
  }
  return entries;
}

/**
 * Formats members as a `tracestate` value (`k1=v1,k2=v2`, no whitespace). Callers pass members
 * that came from {@link parseTracestate} or otherwise satisfy its grammar.
 */
export function formatTracestate(entries: readonly TracestateEntry[]): string {
  return entries.map((entry) => `${entry.key}=${entry.value}`).join(',');
}
