import type { ApiKeyInfo, Store } from '@to11/store';
import { Hono } from 'hono';
import { z } from 'zod';
import { CollectorError } from '../errors.ts';
import { apiKeyAuth } from '../http/api-key-auth.ts';
import type { AppEnv } from '../http/env.ts';
import { jsonBody } from '../http/json-body.ts';
import { publishRevocation } from '../shared-state/publish-revocation.ts';
import type { CollectorSharedState } from '../shared-state/shared-state.ts';

const SCOPES = ['gateway:invoke', 'otel:write', 'traces:read', 'admin'] as const;

const createKeyBody = z.object({
  name: z.string().max(200, 'must be at most 200 characters').nullish(),
  scopeClass: z.enum(['project', 'org'], { error: 'must be "project" or "org"' }),
  projectId: z.string().min(1, 'must not be empty').nullish(),
  scopes: z
    .array(z.enum(SCOPES, { error: `must be one of ${SCOPES.join(', ')}` }), {
      error: `required: an array of ${SCOPES.join(', ')}`,
    })
    .min(1, 'must name at least one scope'),
  expiresAt: z.iso
    .datetime({ offset: true, error: 'must be an RFC 3339 date-time' })
    .transform((value) => new Date(value))
    .refine((date) => date.getTime() > Date.now(), 'must be in the future')
    .nullish(),
});

/** A key as listed: never its secret. */
function keyJson(key: ApiKeyInfo) {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    scopeClass: key.scopeClass,
    projectId: key.projectId,
    scopes: key.scopes,
    expiresAt: key.expiresAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
    createdAt: key.createdAt.toISOString(),
  };
}

/**
 * Admin API for keys (SPEC §9): `GET /api/v1/keys[?projectId=]` → `{"keys":[…]}`,
 * `POST /api/v1/keys` → 201 with the key's listing (name and `createdAt` included) and its secret
 * (`key`) shown this once,
 * `DELETE /api/v1/keys/{id|prefix}` → 204 (404 when nothing matched). Needs `admin`. With
 * `REDIS_URL`, a revocation is published to every gateway process before the 204.
 */
export function keysRoute(deps: { store: Store; shared?: CollectorSharedState }): Hono<AppEnv> {
  const { store } = deps;
  const admin = apiKeyAuth({ store, scope: 'admin', project: false });
  return new Hono<AppEnv>()
    .use('/api/v1/keys', admin)
    .use('/api/v1/keys/*', admin)
    .get('/api/v1/keys', async (c) => {
      const projectId = c.req.query('projectId') || undefined;
      const keys = await store.keys.list(c.var.principal.orgId, projectId ? { projectId } : {});
      return c.json({ keys: keys.map(keyJson) });
    })
    .post('/api/v1/keys', async (c) => {
      const body = await jsonBody(c, createKeyBody);
      const { orgId } = c.var.principal;
      const projectId = body.projectId ?? null;
      if (body.scopeClass === 'project') {
        if (projectId === null) {
          throw new CollectorError('bad_request', 'projectId: required for a project key');
        }
        const project = await store.projects.get(projectId);
        if (project === null || project.orgId !== orgId) {
          throw new CollectorError('forbidden', 'projectId: not a project of this organization');
        }
      } else if (projectId !== null) {
        throw new CollectorError('bad_request', 'projectId: must be omitted for an org key');
      }
      const { key, secret } = await store.keys.create({
        orgId,
        name: body.name ?? null,
        scopeClass: body.scopeClass,
        projectId,
        scopes: [...new Set(body.scopes)],
        expiresAt: body.expiresAt ?? null,
      });
      // A new key is never revoked: its listing without `revokedAt`, plus the secret (issue 18).
      const { revokedAt: _revokedAt, ...listed } = keyJson(key);
      return c.json({ ...listed, key: secret }, 201);
    })
    .delete('/api/v1/keys/:id', async (c) => {
      const revoked = await store.keys.revokeIds(c.var.principal.orgId, c.req.param('id'));
      if (revoked.length === 0) {
        throw new CollectorError('not_found', 'no such API key in this organization');
      }
      if (deps.shared) await publishRevocation(deps.shared, revoked);
      return c.body(null, 204);
    });
}
