/**
 * What an OTLP request may authenticate with (SPEC §6): a short-lived ingest token, or an API key
 * with `otel:write` sent as is, so an exporter configured only by `OTEL_EXPORTER_OTLP_HEADERS`
 * (every language's SDK, the OTel Collector, Grafana Alloy) can send without a token exchange.
 * Key checks go through the store's key cache (no store round trip per request while a key is
 * cached; a revoked key stops working within the cache's TTL, 5 s by default). An org key's
 * project lookup is cached too: a project's org never changes, so only existing projects are
 * kept (a project created meanwhile is found at once), for the same 5 s.
 */
import { API_KEY_PATTERN } from '@to11/config';
import { resolveProjectAccess, type Store } from '@to11/store';
import { CollectorError, RETRY_AFTER_SECONDS } from './errors.ts';
import type { IngestTokens, IngestTokenVerification } from './ingest-token.ts';

/** `tokens`, verifying API keys through `store` as well; tokens are issued by `tokens`. */
export function acceptApiKeys(
  tokens: IngestTokens,
  store: Pick<Store, 'keys' | 'projects'>,
): IngestTokens {
  const orgOfProject = createProjectOrgCache(store);
  return {
    issue: (projectId) => tokens.issue(projectId),
    async verify(credential, requestedProjectId): Promise<IngestTokenVerification> {
      if (!API_KEY_PATTERN.test(credential)) return tokens.verify(credential);
      const verification = await unlessDown(() => store.keys.verify(credential));
      if (verification.status !== 'valid') {
        return { status: 'invalid', reason: 'invalid, revoked or expired API key' };
      }
      const { principal } = verification;
      const access = resolveProjectAccess(principal, { requestedProjectId, scope: 'otel:write' });
      if (access.status !== 'ok') return { status: 'forbidden', reason: access.message };
      if (access.projectId !== principal.projectId) {
        const orgId = await unlessDown(() => orgOfProject(access.projectId));
        if (orgId !== principal.orgId) {
          return { status: 'forbidden', reason: 'this key has no access to the requested project' };
        }
      }
      return { status: 'valid', projectId: access.projectId };
    },
  };
}

const PROJECT_CACHE_TTL_MS = 5000;
const PROJECT_CACHE_MAX_ENTRIES = 10_000;

/** The org of a project (null when there is none), existing projects cached for 5 s. */
function createProjectOrgCache(store: Pick<Store, 'projects'>) {
  const cached = new Map<string, { orgId: string; until: number }>();
  return async (projectId: string): Promise<string | null> => {
    const now = Date.now();
    const hit = cached.get(projectId);
    if (hit !== undefined && hit.until > now) return hit.orgId;
    const project = await store.projects.get(projectId);
    if (project === null) return null;
    if (cached.size >= PROJECT_CACHE_MAX_ENTRIES) cached.clear();
    cached.set(projectId, { orgId: project.orgId, until: now + PROJECT_CACHE_TTL_MS });
    return project.orgId;
  };
}

async function unlessDown<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch {
    throw new CollectorError(
      'unavailable',
      'the key store is unavailable; retry shortly',
      RETRY_AFTER_SECONDS,
    );
  }
}
