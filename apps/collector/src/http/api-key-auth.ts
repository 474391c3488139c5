import type { Scope, Store } from '@to11/store';
import { resolveProjectAccess } from '@to11/store';
import type { MiddlewareHandler } from 'hono';
import { countingFailures, guardFor } from '../auth-failures.ts';
import { CollectorError } from '../errors.ts';
import { bearerCredential } from '../ingest-auth.ts';
import type { AppEnv } from './env.ts';

/** What a route behind `apiKeyAuth` needs. */
export interface ApiKeyAuthOptions {
  store: Store;
  /** The scope the route requires. */
  scope: Scope;
  /**
   * Resolve the project the request acts on (read API): project keys use their own, org keys
   * name it in `x-to11-project-id` (SPEC §9). Admin routes act on the key's org instead.
   */
  project: boolean;
}

/**
 * Authenticates the collector's HTTP APIs (SPEC §9): `x-to11-authorization: Bearer <api key>`
 * or `Authorization: Bearer <api key>`. Missing, unknown, revoked or expired → 401 `auth`;
 * lacking the scope or the project → 403 `forbidden`; an address past its allowance of failed
 * authentications → 429 `rate_limit` (`auth-failures.ts`). Sets `principal` (and `projectId`).
 */
export function apiKeyAuth(options: ApiKeyAuthOptions): MiddlewareHandler<AppEnv> {
  const { store, scope } = options;
  return async function apiKeyAuthMiddleware(c, next) {
    const principal = await countingFailures(guardFor(c, 'api'), async () => {
      const secret =
        bearerCredential(c.req.header('x-to11-authorization')) ??
        bearerCredential(c.req.header('authorization'));
      if (secret === null) {
        throw new CollectorError(
          'auth',
          'missing API key: send "Authorization: Bearer <api key>" or "x-to11-authorization: Bearer <api key>"',
        );
      }
      const verification = await store.keys.verify(secret);
      if (verification.status !== 'valid') {
        throw new CollectorError('auth', 'invalid, revoked or expired API key');
      }
      return verification.principal;
    });
    if (!principal.scopes.includes(scope)) {
      throw new CollectorError('forbidden', `API key lacks the ${scope} scope`);
    }
    c.set('principal', principal);
    if (options.project) {
      const requestedProjectId = c.req.header('x-to11-project-id') || undefined;
      const access = resolveProjectAccess(principal, { requestedProjectId, scope });
      if (access.status !== 'ok') throw new CollectorError('forbidden', access.message);
      if (principal.scopeClass === 'org') {
        const project = await store.projects.get(access.projectId);
        if (project === null || project.orgId !== principal.orgId) {
          throw new CollectorError(
            'forbidden',
            'x-to11-project-id is not a project of this organization',
          );
        }
      }
      c.set('projectId', access.projectId);
    }
    await next();
  };
}
