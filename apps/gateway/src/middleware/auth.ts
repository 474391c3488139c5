/**
 * to11 key authentication of `/v1/*` (SPEC §3 "Gateway auth"): `x-to11-authorization: Bearer
 * <api key>` with scope `gateway:invoke`; org keys pick the project with `x-to11-project-id`.
 * Missing, malformed, invalid, revoked or expired → 401 `auth` (the message says which of the
 * first two it is); lacking scope or project → 403 `forbidden`; the key store down → 503
 * `unavailable`. Throws {@link GatewayError}; never returns a response itself.
 */
import { API_KEY_PATTERN } from '@to11/config';
import { type KeyVerification, resolveProjectAccess } from '@to11/store';
import type { MiddlewareHandler } from 'hono';
import type { AppDeps, AppEnv } from '../env.ts';
import { GatewayError } from '../errors.ts';
import { ProjectCache } from './project-cache.ts';

const BEARER = /^\s*Bearer\s+(\S+)\s*$/i;

/** The to11 key of an `x-to11-authorization` value; a missing or malformed one throws. */
function presentedKey(header: string | undefined): string {
  if (header === undefined || header.trim() === '') {
    throw new GatewayError('auth', 'missing to11 API key: send x-to11-authorization: Bearer <key>');
  }
  const secret = BEARER.exec(header)?.[1];
  if (!secret) {
    throw new GatewayError(
      'auth',
      'malformed x-to11-authorization header: expected `Bearer <key>`',
    );
  }
  if (!API_KEY_PATTERN.test(secret)) {
    throw new GatewayError(
      'auth',
      'malformed to11 API key: expected to11_live_… or to11_test_… followed by 20 to 64 letters or digits',
    );
  }
  return secret;
}

/** The auth middleware. */
export function auth(deps: AppDeps): MiddlewareHandler<AppEnv> {
  const projects = new ProjectCache(deps.store);
  return async function authMiddleware(c, next) {
    const secret = presentedKey(c.req.header('x-to11-authorization'));
    let verification: KeyVerification;
    try {
      verification = await deps.store.keys.verify(secret);
    } catch {
      throw new GatewayError('unavailable', 'the key store is unavailable; retry shortly');
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
    c.set('keyId', principal.keyId);
    c.get('trace').projectId = access.projectId;
    await next();
  };
}
