/**
 * to11 key authentication of `/v1/*` (SPEC §3 "Gateway auth"): `x-to11-authorization: Bearer
 * <api key>` with scope `gateway:invoke`; org keys pick the project with `x-to11-project-id`.
 * Missing, invalid, revoked or expired → 401 `auth`; lacking scope or project → 403
 * `forbidden`. Throws {@link GatewayError}; never returns a response itself.
 */
import { type KeyVerification, resolveProjectAccess } from '@to11/store';
import type { MiddlewareHandler } from 'hono';
import type { AppDeps, AppEnv } from '../env.ts';
import { GatewayError } from '../errors.ts';
import { ProjectCache } from './project-cache.ts';

const BEARER = /^\s*Bearer\s+(\S+)\s*$/i;

/** The auth middleware. */
export function auth(deps: AppDeps): MiddlewareHandler<AppEnv> {
  const projects = new ProjectCache(deps.store);
  return async function authMiddleware(c, next) {
    const secret = BEARER.exec(c.req.header('x-to11-authorization') ?? '')?.[1];
    if (!secret) {
      throw new GatewayError(
        'auth',
        'missing to11 API key: send x-to11-authorization: Bearer <key>',
      );
    }
    let verification: KeyVerification;
    try {
      verification = await deps.store.keys.verify(secret);
    } catch {
      throw new GatewayError('upstream', 'the key store is unavailable; retry shortly', {
        status: 503,
      });
    }
    if (verification.status !== 'valid') {
      throw new GatewayError('auth', 'invalid, revoked or expired to11 API key');
    }
    const { principal } = verification;
    const requestedProjectId = c.req.header('x-to11-project-id')?.trim() || undefined;
    const access = resolveProjectAccess(principal, { requestedProjectId, scope: 'gateway:invoke' });
    if (access.status !== 'ok') throw new GatewayError('forbidden', access.message);
    if (access.projectId !== principal.projectId) {
      const project = await projects.get(access.projectId);
      if (!project || project.orgId !== principal.orgId) {
        throw new GatewayError('forbidden', 'this key has no access to the requested project');
      }
    }
    c.set('projectId', access.projectId);
    c.set('to11Key', secret);
    c.get('trace').projectId = access.projectId;
    await next();
  };
}
