import { testEngines } from '@to11/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCall, type Harness, startHarness } from './harness.ts';

describe.each(testEngines())('admin API on the %s store', (engine) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(engine);
  });
  afterAll(() => harness?.close());

  const call = (method: string, path: string, body?: unknown, key?: string) =>
    adminCall(harness, method, path, body, key);

  it('creates and lists projects of the key’s organization', async () => {
    const created = await call('POST', '/api/v1/projects', { name: 'search' });
    expect(created.status).toBe(201);
    const project = (await created.json()) as Record<string, string>;
    expect(project).toEqual({
      id: expect.stringMatching(/^proj_[a-z2-7]+$/),
      name: 'search',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const listed = await call('GET', '/api/v1/projects');
    expect(listed.status).toBe(200);
    const { projects } = (await listed.json()) as { projects: { id: string; name: string }[] };
    expect(projects.map((p) => p.name)).toEqual(expect.arrayContaining(['default', 'search']));
    expect(projects).toContainEqual(project);
  });

  it('answers 400 naming the field of an invalid project body', async () => {
    for (const body of [{}, { name: '' }, { name: 7 }]) {
      const response = await call('POST', '/api/v1/projects', body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        error: { code: 'bad_request', message: expect.stringMatching(/^name: /) },
      });
    }
  });

  it('creates a project key for any project of the org and shows its secret once', async () => {
    const other = await harness.store.projects.create(harness.orgId, 'other');
    const response = await call('POST', '/api/v1/keys', {
      name: 'ci',
      scopeClass: 'project',
      projectId: other.id,
      scopes: ['otel:write', 'traces:read'],
      expiresAt: '2099-01-01T00:00:00Z',
    });
    expect(response.status).toBe(201);
    const created = (await response.json()) as Record<string, unknown>;
    expect(created).toEqual({
      id: expect.stringMatching(/^key_/),
      key: expect.stringMatching(/^to11_(live|test)_[A-Za-z0-9]{20,64}$/),
      name: 'ci',
      prefix: expect.any(String),
      scopeClass: 'project',
      projectId: other.id,
      scopes: ['otel:write', 'traces:read'],
      expiresAt: '2099-01-01T00:00:00.000Z',
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    });
    // The same instant the listing shows (issue 18: the CLI prints the create answer).
    expect(Math.abs(Date.parse(String(created.createdAt)) - Date.now())).toBeLessThan(60_000);
    expect(String(created.key)).toContain(String(created.prefix));
    const token = await harness.ingestToken(String(created.key));
    expect(token).toMatch(/^eyJ/);

    const listed = await call('GET', `/api/v1/keys?projectId=${other.id}`);
    const { keys } = (await listed.json()) as { keys: Record<string, unknown>[] };
    expect(keys).toEqual([
      {
        id: created.id,
        name: 'ci',
        prefix: created.prefix,
        scopeClass: 'project',
        projectId: other.id,
        scopes: ['otel:write', 'traces:read'],
        expiresAt: '2099-01-01T00:00:00.000Z',
        revokedAt: null,
        createdAt: created.createdAt,
      },
    ]);
    expect(JSON.stringify(await (await call('GET', '/api/v1/keys')).json())).not.toContain(
      String(created.key),
    );
  });

  it('creates org keys without a project', async () => {
    const response = await call('POST', '/api/v1/keys', {
      scopeClass: 'org',
      scopes: ['traces:read'],
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      scopeClass: 'org',
      projectId: null,
      expiresAt: null,
    });
  });

  it('answers 400 naming the field of an invalid key body, 403 for a foreign project', async () => {
    const cases: [unknown, RegExp][] = [
      [{ scopeClass: 'project', projectId: harness.projectId }, /^scopes: /],
      [{ scopeClass: 'project', projectId: harness.projectId, scopes: [] }, /^scopes: /],
      [{ scopeClass: 'project', projectId: harness.projectId, scopes: ['root'] }, /^scopes/],
      [{ scopeClass: 'team', scopes: ['admin'] }, /^scopeClass: /],
      [{ scopeClass: 'project', scopes: ['admin'] }, /^projectId: /],
      [{ scopeClass: 'org', projectId: harness.projectId, scopes: ['admin'] }, /^projectId: /],
      [{ scopeClass: 'org', scopes: ['admin'], expiresAt: '2001-01-01T00:00:00Z' }, /^expiresAt: /],
      [{ scopeClass: 'org', scopes: ['admin'], expiresAt: 'tomorrow' }, /^expiresAt: /],
    ];
    for (const [body, message] of cases) {
      const response = await call('POST', '/api/v1/keys', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'bad_request', message } });
    }
    const otherOrg = await harness.store.organizations.create('elsewhere');
    const foreign = await harness.store.projects.create(otherOrg.id, 'foreign');
    const response = await call('POST', '/api/v1/keys', {
      scopeClass: 'project',
      projectId: foreign.id,
      scopes: ['admin'],
    });
    expect(response.status).toBe(403);
  });

  it('revokes by id or prefix with immediate effect, 404 for unknown keys', async () => {
    for (const by of ['id', 'prefix'] as const) {
      const created = (await (
        await call('POST', '/api/v1/keys', {
          scopeClass: 'project',
          projectId: harness.projectId,
          scopes: ['otel:write', 'admin'],
        })
      ).json()) as { id: string; prefix: string; key: string };
      expect((await call('GET', '/api/v1/projects', undefined, created.key)).status).toBe(200);
      const revoked = await call('DELETE', `/api/v1/keys/${created[by]}`);
      expect(revoked.status).toBe(204);
      expect(await revoked.text()).toBe('');
      expect((await call('GET', '/api/v1/projects', undefined, created.key)).status).toBe(401);
      const exchange = await harness.http('/v1/ingest-token/exchange', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ credential: created.key }),
      });
      expect(exchange.status).toBe(401);
    }
    const unknown = await call('DELETE', '/api/v1/keys/key_doesnotexist');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('authenticates with either header and refuses missing, bad and non-admin keys', async () => {
    const viaCustomHeader = await harness.http('/api/v1/projects', {
      headers: { 'x-to11-authorization': `Bearer ${harness.adminKey}` },
    });
    expect(viaCustomHeader.status).toBe(200);
    expect((await harness.http('/api/v1/keys')).status).toBe(401);
    const bad = await call('GET', '/api/v1/keys', undefined, `to11_test_${'z'.repeat(30)}`);
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ error: { code: 'auth' } });
    const writer = await harness.createKey({ scopes: ['otel:write', 'traces:read'] });
    for (const [method, path] of [
      ['GET', '/api/v1/projects'],
      ['POST', '/api/v1/projects'],
      ['GET', '/api/v1/keys'],
      ['POST', '/api/v1/keys'],
      ['DELETE', '/api/v1/keys/key_x'],
    ] as const) {
      const response = await call(
        method,
        path,
        method === 'POST' ? { name: 'x' } : undefined,
        writer,
      );
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: 'forbidden' } });
    }
  });

  it('keeps each organization’s admin to its own projects and keys', async () => {
    const otherOrg = await harness.store.organizations.create('tenant-b');
    await harness.store.projects.create(otherOrg.id, 'b-project');
    const otherAdmin = await harness.createKey({
      orgId: otherOrg.id,
      scopeClass: 'org',
      scopes: ['admin'],
    });
    const projects = (await (
      await call('GET', '/api/v1/projects', undefined, otherAdmin)
    ).json()) as {
      projects: { name: string }[];
    };
    expect(projects.projects.map((p) => p.name)).toEqual(['b-project']);
    const mine = (await (await call('GET', '/api/v1/keys')).json()) as {
      keys: { id: string }[];
    };
    const theirs = await call('DELETE', `/api/v1/keys/${mine.keys[0]?.id}`, undefined, otherAdmin);
    expect(theirs.status).toBe(404);
  });
});
