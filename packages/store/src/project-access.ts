/** Which project a verified key may act on (SPEC §3 gateway auth, §9 admin and read API). */
import type { KeyPrincipal, Scope } from './types.ts';

/** Why access was refused, for callers that answer differently (400 vs 403). */
export type ProjectAccessDenial = 'missing_scope' | 'project_required' | 'wrong_project';

/** The project to act on, or why not. */
export type ProjectAccess =
  | { status: 'ok'; projectId: string }
  | { status: 'forbidden'; reason: ProjectAccessDenial; message: string };

/**
 * Pure decision, no I/O. A project key acts on its own project; `admin` is an organization-level
 * power (SPEC §9), so with that scope it may name another project. An org key must name one.
 * Whenever the answer's `projectId` differs from `principal.projectId`, the caller must check
 * that the project exists and belongs to `principal.orgId` (`store.projects.get`).
 */
export function resolveProjectAccess(
  principal: KeyPrincipal,
  request: { requestedProjectId?: string | null; scope: Scope },
): ProjectAccess {
  const { scope } = request;
  const requested = request.requestedProjectId ?? null;
  if (!principal.scopes.includes(scope)) {
    return {
      status: 'forbidden',
      reason: 'missing_scope',
      message: `the API key lacks the ${scope} scope`,
    };
  }
  if (principal.scopeClass === 'org' || principal.projectId === null) {
    if (requested === null || requested === '') {
      return {
        status: 'forbidden',
        reason: 'project_required',
        message: 'an org-scoped API key must name a project (x-to11-project-id)',
      };
    }
    return { status: 'ok', projectId: requested };
  }
  if (requested === null || requested === '' || requested === principal.projectId) {
    return { status: 'ok', projectId: principal.projectId };
  }
  if (scope === 'admin') return { status: 'ok', projectId: requested };
  return {
    status: 'forbidden',
    reason: 'wrong_project',
    message: `the API key is not authorised for project ${requested}`,
  };
}
