/**
 * API keys (SPEC §3, §9): secrets are shown once; only a SHA-256 hash and an 8-character prefix
 * are stored. Verification looks the prefix up and compares hashes in constant time.
 */
import { timingSafeEqual } from 'node:crypto';
import { and, asc, eq, or, sql } from 'drizzle-orm';
import type { Db } from './database.ts';
import { StoreInputError } from './errors.ts';
import { newApiKeySecret, newId, parseApiKeySecret } from './ids.ts';
import type { KeyCache } from './key-cache.ts';
import { OutageGate } from './outage-gate.ts';
import { type ApiKeyRow, apiKeys } from './schema/api-keys.ts';
import { projects } from './schema/projects.ts';
import type { ApiKeyInfo, CreateKeyInput, KeyPrincipal, Scope, Store } from './types.ts';

/** Every scope of SPEC §3, in a stable order. */
export const ALL_SCOPES: readonly Scope[] = [
  'gateway:invoke',
  'otel:write',
  'traces:read',
  'admin',
];

function toInfo(row: ApiKeyRow): ApiKeyInfo {
  return {
    id: row.id,
    orgId: row.orgId,
    name: row.name,
    prefix: row.prefix,
    scopeClass: row.scopeClass,
    projectId: row.projectId,
    scopes: row.scopes.filter((scope): scope is Scope => (ALL_SCOPES as string[]).includes(scope)),
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    createdAt: row.createdAt,
  };
}

function checkScopes(scopes: Scope[]): Scope[] {
  const unique = [...new Set(scopes)];
  if (unique.length === 0) throw new StoreInputError('a key needs at least one scope');
  for (const scope of unique) {
    if (!ALL_SCOPES.includes(scope)) throw new StoreInputError(`unknown scope ${String(scope)}`);
  }
  return ALL_SCOPES.filter((scope) => unique.includes(scope));
}

/** Inserts a key after checking its project belongs to its organization. */
export async function insertKey(
  db: Db,
  input: CreateKeyInput,
): Promise<{ key: ApiKeyInfo; secret: string }> {
  const scopes = checkScopes(input.scopes);
  const projectId = input.projectId ?? null;
  if (input.scopeClass === 'project') {
    if (projectId === null) throw new StoreInputError('a project key needs a projectId');
    const [project] = await db
      .select({ orgId: projects.orgId })
      .from(projects)
      .where(eq(projects.id, projectId));
    if (project?.orgId !== input.orgId) {
      throw new StoreInputError(`project ${projectId} is not a project of ${input.orgId}`);
    }
  } else if (projectId !== null) {
    throw new StoreInputError('an org key cannot be bound to a project');
  }
  const secret = input.secret ?? newApiKeySecret(input.environment ?? 'live');
  const parsed = parseApiKeySecret(secret);
  if (parsed === null) {
    throw new StoreInputError('a key secret must match to11_(live|test)_[A-Za-z0-9]{20,64}');
  }
  const [row] = await db
    .insert(apiKeys)
    .values({
      id: newId('key'),
      orgId: input.orgId,
      projectId,
      name: input.name ?? null,
      prefix: parsed.prefix,
      hash: parsed.hash,
      scopeClass: input.scopeClass,
      scopes,
      expiresAt: input.expiresAt ?? null,
    })
    .returning();
  if (row === undefined) throw new Error('insert into api_keys returned no row');
  return { key: toInfo(row), secret };
}

function principalOf(row: ApiKeyRow): KeyPrincipal {
  const info = toInfo(row);
  return {
    keyId: info.id,
    orgId: info.orgId,
    scopeClass: info.scopeClass,
    projectId: info.projectId,
    scopes: info.scopes,
    expiresAt: info.expiresAt,
  };
}

const expired = (expiresAt: Date | null, now: number) =>
  expiresAt !== null && expiresAt.getTime() <= now;

/** `key_…`, an 8-character prefix, or a `to11_…` string whose prefix is meant. */
function revokeTarget(idOrPrefix: string): string {
  const secretLike = /^to11_(?:live|test)_([A-Za-z0-9]{8})/.exec(idOrPrefix);
  return secretLike?.[1] ?? idOrPrefix;
}

/** The key operations of the store. */
export function createKeys(db: Db, cache: KeyCache): Store['keys'] {
  // While the store is down, a key with a stale cache entry is answered without waiting on it.
  const outage = new OutageGate();
  return {
    create: (input) => insertKey(db, input),
    async verify(secret) {
      const parsed = parseApiKeySecret(secret);
      if (parsed === null) return { status: 'invalid' };
      const now = Date.now();
      const cached = cache.get(parsed.hash, now);
      if (cached !== null) {
        return expired(cached.expiresAt, now)
          ? { status: 'invalid' }
          : { status: 'valid', principal: cached };
      }
      let rows: ApiKeyRow[];
      try {
        rows = await outage.read(
          () => db.select().from(apiKeys).where(eq(apiKeys.prefix, parsed.prefix)),
          cache.stale(parsed.hash, now) !== null,
        );
      } catch (error) {
        // The store is down: a key verified shortly before still authenticates.
        const stale = cache.stale(parsed.hash, now);
        if (stale === null) throw error;
        return expired(stale.expiresAt, now)
          ? { status: 'invalid' }
          : { status: 'valid', principal: stale };
      }
      const presented = Buffer.from(parsed.hash, 'hex');
      let match: ApiKeyRow | null = null;
      for (const row of rows) {
        const stored = Buffer.from(row.hash, 'hex');
        if (stored.length === presented.length && timingSafeEqual(stored, presented)) match = row;
      }
      if (match === null || match.revokedAt !== null || expired(match.expiresAt, now)) {
        return { status: 'invalid' };
      }
      const principal = principalOf(match);
      cache.set(parsed.hash, principal, now);
      return { status: 'valid', principal };
    },
    async list(orgId, filter) {
      const where =
        filter?.projectId === undefined
          ? eq(apiKeys.orgId, orgId)
          : and(eq(apiKeys.orgId, orgId), eq(apiKeys.projectId, filter.projectId));
      const rows = await db
        .select()
        .from(apiKeys)
        .where(where)
        .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id));
      return rows.map(toInfo);
    },
    async revoke(orgId, idOrPrefix) {
      return (await revokeIds(orgId, idOrPrefix)).length > 0;
    },
    revokeIds,
    forgetCached: (keyIds) => cache.evict(keyIds),
  };
  async function revokeIds(orgId: string, idOrPrefix: string): Promise<string[]> {
    const target = revokeTarget(idOrPrefix);
    const rows = await db
      .update(apiKeys)
      .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
      .where(and(eq(apiKeys.orgId, orgId), or(eq(apiKeys.id, target), eq(apiKeys.prefix, target))))
      .returning({ id: apiKeys.id });
    const ids = rows.map((row) => row.id);
    cache.evict(ids);
    return ids;
  }
}
