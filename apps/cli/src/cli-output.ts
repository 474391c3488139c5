import type { CreatedKeyView, KeyView, LimitsView, ProjectView } from './admin-client.ts';
import { formatTable } from './text-table.ts';

/** Projects as a table: ID, NAME, CREATED. */
export function formatProjects(projects: readonly ProjectView[]): string {
  return formatTable(
    ['ID', 'NAME', 'CREATED'],
    projects.map((project) => [project.id, project.name, formatInstant(project.createdAt)]),
  );
}

/** Keys as a table, with a STATUS of active, expired or revoked as of `now`. */
export function formatKeys(keys: readonly KeyView[], now: Date): string {
  return formatTable(
    ['ID', 'PREFIX', 'NAME', 'CLASS', 'PROJECT', 'SCOPES', 'EXPIRES', 'STATUS'],
    keys.map((key) => [
      key.id,
      key.prefix,
      key.name ?? '-',
      key.scopeClass,
      key.projectId ?? '-',
      key.scopes.join(','),
      formatInstant(key.expiresAt),
      keyStatus(key, now),
    ]),
  );
}

/** A created key: its listing, then the secret on its own last line (the only time it is shown). */
export function formatCreatedKey(key: CreatedKeyView, now: Date): string {
  return `${formatKeys([key], now)}\n\nSecret (shown only now, store it safely): ${key.key}`;
}

function keyStatus(key: KeyView, now: Date): string {
  if (key.revokedAt !== null && key.revokedAt !== undefined) return 'revoked';
  if (key.expiresAt !== null && key.expiresAt !== undefined) {
    const end = Date.parse(key.expiresAt);
    if (!Number.isNaN(end) && end <= now.getTime()) return 'expired';
  }
  return 'active';
}

/** `2025-01-02 03:04:05Z` for an ISO instant, `never` for none, the text itself if unparsable. */
export function formatInstant(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return 'never';
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return new Date(time)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z');
}

/** A subject's limits: LIMIT, VALUE (or `-`), USED in the current window and RESETS. */
export function formatLimits(view: LimitsView): string {
  const table = formatTable(
    ['LIMIT', 'VALUE', 'USED', 'RESETS'],
    Object.entries(view.limits).map(([metric, value]) => {
      const usage = view.usage?.[metric];
      return [
        `${view.subject.kind}.${metric}`,
        value === null ? '-' : String(value),
        usage ? String(usage.used) : '-',
        usage ? formatInstant(usage.resetsAt) : '-',
      ];
    }),
  );
  return view.usage === null
    ? `${table}\n\nUsage is counted per gateway process without REDIS_URL; set it to read usage here.`
    : table;
}
