import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from './store.ts';
import { openTestStore, storeTestEngines, type TestStore } from './testing.ts';
import type { Project, Store } from './types.ts';

describe.each(storeTestEngines())('keys and projects on %s', (engine) => {
  let handle: TestStore;
  let store: Store;
  let orgId: string;
  let project: Project;

  beforeAll(async () => {
    handle = await openTestStore(engine);
    store = handle.store;
    orgId = (await store.organizations.create('acme')).id;
    project = await store.projects.create(orgId, 'web');
  });
  afterAll(() => handle.close());

  it('creates organizations and projects with prefixed base32 ids', async () => {
    expect(orgId).toMatch(/^org_[a-z2-7]{16}$/);
    expect(project).toMatchObject({ orgId, name: 'web' });
    expect(project.id).toMatch(/^proj_[a-z2-7]{16}$/);
    expect(await store.projects.get(project.id)).toEqual(project);
    expect(await store.projects.get('proj_unknown')).toBeNull();
    expect((await store.projects.list(orgId)).map((p) => p.id)).toContain(project.id);
    expect((await store.organizations.list()).map((o) => o.id)).toContain(orgId);
  });

  it('refuses a project in an unknown organization', async () => {
    await expect(store.projects.create('org_nope', 'x')).rejects.toThrow(/unknown organization/);
  });

  it('creates a key whose secret is shown once and verifies it', async () => {
    const { key, secret } = await store.keys.create({
      orgId,
      scopeClass: 'project',
      projectId: project.id,
      scopes: ['gateway:invoke', 'traces:read'],
      name: 'ci',
    });
    expect(secret).toMatch(/^to11_live_[A-Za-z0-9]{32}$/);
    expect(key.id).toMatch(/^key_[a-z2-7]{16}$/);
    expect(key.prefix).toBe(secret.slice('to11_live_'.length, 'to11_live_'.length + 8));
    expect(JSON.stringify(key)).not.toContain(secret);
    const verified = await store.keys.verify(secret);
    expect(verified).toEqual({
      status: 'valid',
      principal: {
        keyId: key.id,
        orgId,
        scopeClass: 'project',
        projectId: project.id,
        scopes: ['gateway:invoke', 'traces:read'],
        expiresAt: null,
      },
    });
  });

  it('answers invalid for malformed, unknown and look-alike secrets', async () => {
    const { secret } = await store.keys.create({ orgId, scopeClass: 'org', scopes: ['admin'] });
    expect(await store.keys.verify('nope')).toEqual({ status: 'invalid' });
    expect(await store.keys.verify(`${secret}x`.replace('to11_', 'to12_'))).toEqual({
      status: 'invalid',
    });
    // Same prefix, different rest: only the constant-time hash comparison tells them apart.
    const lookAlike = `${secret.slice(0, -4)}${secret.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    expect(await store.keys.verify(lookAlike)).toEqual({ status: 'invalid' });
    expect((await store.keys.verify(secret)).status).toBe('valid');
  });

  it('accepts a given secret in the bootstrap format and a test environment', async () => {
    const given = `to11_test_${'Z'.repeat(24)}`;
    const { key, secret } = await store.keys.create({
      orgId,
      scopeClass: 'org',
      scopes: ['otel:write'],
      secret: given,
    });
    expect(secret).toBe(given);
    expect(key.prefix).toBe('ZZZZZZZZ');
    const generated = await store.keys.create({
      orgId,
      scopeClass: 'org',
      scopes: ['admin'],
      environment: 'test',
    });
    expect(generated.secret).toMatch(/^to11_test_/);
    await expect(
      store.keys.create({ orgId, scopeClass: 'org', scopes: ['admin'], secret: 'to11_live_short' }),
    ).rejects.toThrow(/must match/);
  });

  it('refuses project keys without a project of the organization', async () => {
    await expect(
      store.keys.create({ orgId, scopeClass: 'project', scopes: ['admin'] }),
    ).rejects.toThrow(/needs a projectId/);
    const otherOrg = await store.organizations.create('other');
    const foreign = await store.projects.create(otherOrg.id, 'theirs');
    await expect(
      store.keys.create({ orgId, scopeClass: 'project', projectId: foreign.id, scopes: ['admin'] }),
    ).rejects.toThrow(/not a project of/);
  });

  it('lists keys without secrets, filtered by project', async () => {
    const other = await store.projects.create(orgId, 'api');
    const { key } = await store.keys.create({
      orgId,
      scopeClass: 'project',
      projectId: other.id,
      scopes: ['otel:write'],
    });
    const all = await store.keys.list(orgId);
    expect(all.map((k) => k.id)).toContain(key.id);
    expect(all.every((k) => !('hash' in k) && !('secret' in k))).toBe(true);
    expect((await store.keys.list(orgId, { projectId: other.id })).map((k) => k.id)).toEqual([
      key.id,
    ]);
  });

  it('revokes by id and by prefix at once, also when the key was cached', async () => {
    const byId = await store.keys.create({ orgId, scopeClass: 'org', scopes: ['admin'] });
    const byPrefix = await store.keys.create({ orgId, scopeClass: 'org', scopes: ['admin'] });
    expect((await store.keys.verify(byId.secret)).status).toBe('valid');
    expect((await store.keys.verify(byPrefix.secret)).status).toBe('valid');
    expect(await store.keys.revoke(orgId, byId.key.id)).toBe(true);
    expect(await store.keys.revoke(orgId, byPrefix.key.prefix)).toBe(true);
    expect(await store.keys.verify(byId.secret)).toEqual({ status: 'invalid' });
    expect(await store.keys.verify(byPrefix.secret)).toEqual({ status: 'invalid' });
    const listed = (await store.keys.list(orgId)).find((k) => k.id === byId.key.id);
    expect(listed?.revokedAt).toBeInstanceOf(Date);
  });

  it('does not revoke keys of another organization and answers false for unknown keys', async () => {
    const { key, secret } = await store.keys.create({
      orgId,
      scopeClass: 'org',
      scopes: ['admin'],
    });
    const otherOrg = await store.organizations.create('stranger');
    expect(await store.keys.revoke(otherOrg.id, key.id)).toBe(false);
    expect(await store.keys.revoke(orgId, 'key_doesnotexist')).toBe(false);
    expect((await store.keys.verify(secret)).status).toBe('valid');
  });

  it('treats an expired key as invalid, even from the cache', async () => {
    const soon = new Date(Date.now() + 300);
    const { secret } = await store.keys.create({
      orgId,
      scopeClass: 'org',
      scopes: ['admin'],
      expiresAt: soon,
    });
    expect((await store.keys.verify(secret)).status).toBe('valid');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await store.keys.verify(secret)).toEqual({ status: 'invalid' });
    const past = await store.keys.create({
      orgId,
      scopeClass: 'org',
      scopes: ['admin'],
      expiresAt: new Date(Date.now() - 1000),
    });
    expect(await store.keys.verify(past.secret)).toEqual({ status: 'invalid' });
  });

  // A second process on the same database needs a server: PGlite is single-process.
  if (engine === 'postgres') {
    it('lets another process see a revocation once its cache entry expires', async () => {
      const other = await openStore({ databaseUrl: handle.databaseUrl ?? '', keyCacheTtlMs: 300 });
      try {
        const { key, secret } = await store.keys.create({
          orgId,
          scopeClass: 'org',
          scopes: ['admin'],
        });
        expect((await other.keys.verify(secret)).status).toBe('valid');
        await store.keys.revoke(orgId, key.id);
        expect((await other.keys.verify(secret)).status).toBe('valid');
        await new Promise((resolve) => setTimeout(resolve, 350));
        expect(await other.keys.verify(secret)).toEqual({ status: 'invalid' });
      } finally {
        await other.close();
      }
    });
  }
});
