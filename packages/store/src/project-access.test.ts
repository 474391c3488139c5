import { describe, expect, it } from 'vitest';
import { resolveProjectAccess } from './project-access.ts';
import type { KeyPrincipal, Scope } from './types.ts';

const projectKey: KeyPrincipal = {
  keyId: 'key_a',
  orgId: 'org_a',
  scopeClass: 'project',
  projectId: 'proj_a',
  scopes: ['gateway:invoke', 'admin'],
  expiresAt: null,
};
const orgKey: KeyPrincipal = { ...projectKey, scopeClass: 'org', projectId: null };

describe('resolveProjectAccess', () => {
  const cases: Array<[string, KeyPrincipal, string | undefined, Scope, object]> = [
    [
      'a project key acts on its project',
      projectKey,
      undefined,
      'gateway:invoke',
      { status: 'ok', projectId: 'proj_a' },
    ],
    [
      'a project key may name its own project',
      projectKey,
      'proj_a',
      'gateway:invoke',
      { status: 'ok', projectId: 'proj_a' },
    ],
    [
      'a project key may not name another project',
      projectKey,
      'proj_b',
      'gateway:invoke',
      { status: 'forbidden', reason: 'wrong_project' },
    ],
    [
      'admin on a project key reaches other projects of the org',
      projectKey,
      'proj_b',
      'admin',
      { status: 'ok', projectId: 'proj_b' },
    ],
    [
      'a missing scope is forbidden',
      projectKey,
      undefined,
      'otel:write',
      { status: 'forbidden', reason: 'missing_scope' },
    ],
    [
      'an org key must name a project',
      orgKey,
      undefined,
      'gateway:invoke',
      { status: 'forbidden', reason: 'project_required' },
    ],
    [
      'an org key acts on the named project',
      orgKey,
      'proj_z',
      'gateway:invoke',
      { status: 'ok', projectId: 'proj_z' },
    ],
    [
      'an org key without the scope is forbidden',
      orgKey,
      'proj_z',
      'traces:read',
      { status: 'forbidden', reason: 'missing_scope' },
    ],
  ];

  it.each(cases)('%s', (_name, principal, requestedProjectId, scope, expected) => {
    expect(resolveProjectAccess(principal, { requestedProjectId, scope })).toMatchObject(expected);
  });

  it('explains a refusal in a message', () => {
    const result = resolveProjectAccess(orgKey, { scope: 'gateway:invoke' });
    expect(result.status === 'forbidden' && result.message).toMatch(/x-to11-project-id/);
  });
});
