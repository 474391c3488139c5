import type { Store } from '@to11/store';
import { resolveProjectAccess } from '@to11/store';
import { Hono } from 'hono';
import { z } from 'zod';
import { countingFailures, guardFor, refuseIfLimited } from '../auth-failures.ts';
import { CollectorError } from '../errors.ts';
import type { AppEnv } from '../http/env.ts';
import { jsonBody } from '../http/json-body.ts';
import { INGEST_SCOPE, type IngestTokens } from '../ingest-token.ts';

const exchangeBody = z.object({
  credential: z.string({ error: 'required: the API key to exchange' }).min(1, 'must not be empty'),
  requestedProjectId: z.string().min(1, 'must not be empty').nullish(),
});

/**
 * `POST /v1/ingest-token/exchange` (SPEC §3): trades an API key with `otel:write` for a
 * 15-minute ingest token bound to one project.
 */
export function tokenExchangeRoute(deps: { store: Store; tokens: IngestTokens }): Hono<AppEnv> {
  const { store, tokens } = deps;
  return new Hono<AppEnv>().post('/v1/ingest-token/exchange', async (c) => {
    const guard = guardFor(c, 'token_exchange');
    refuseIfLimited(guard);
    const body = await jsonBody(c, exchangeBody);
    const principal = await countingFailures(guard, async () => {
      const verification = await store.keys.verify(body.credential);
      if (verification.status !== 'valid') {
        throw new CollectorError('auth', 'invalid, revoked or expired API key');
      }
      return verification.principal;
    });
    if (!principal.scopes.includes(INGEST_SCOPE)) {
      throw new CollectorError('forbidden', `API key lacks the ${INGEST_SCOPE} scope`);
    }
    const requestedProjectId = body.requestedProjectId ?? undefined;
    if (principal.scopeClass === 'org' && requestedProjectId === undefined) {
      throw new CollectorError(
        'bad_request',
        'requestedProjectId: required with an organization key (the project to ingest into)',
      );
    }
    const access = resolveProjectAccess(principal, { requestedProjectId, scope: INGEST_SCOPE });
    if (access.status !== 'ok') throw new CollectorError('forbidden', access.message);
    const project = await store.projects.get(access.projectId);
    if (project === null || project.orgId !== principal.orgId) {
      throw new CollectorError('forbidden', 'API key is not authorized for the requested project');
    }
    const issued = await tokens.issue(project.id);
    return c.json({
      token: issued.token,
      projectId: project.id,
      scopeClass: principal.scopeClass,
      scopes: [INGEST_SCOPE],
      expiresAt: issued.expiresAt,
    });
  });
}
