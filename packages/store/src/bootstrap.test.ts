import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from './store.ts';
import { openTestStore, storeTestEngines } from './testing.ts';

const GIVEN = `to11_test_${'k'.repeat(40)}`;

describe.each(storeTestEngines())('bootstrap on %s', (engine) => {
  it('creates org, project and an all-scopes project key on an empty store, once', async () => {
    const { store, close } = await openTestStore(engine);
    try {
      const first = await store.bootstrap();
      if (first.status !== 'created') throw new Error(`expected created, got ${first.status}`);
      expect(first.secret).toMatch(/^to11_test_[A-Za-z0-9]{32}$/);
      const verified = await store.keys.verify(first.secret);
      expect(verified).toEqual({
        status: 'valid',
        principal: {
          keyId: first.keyId,
          orgId: first.orgId,
          scopeClass: 'project',
          projectId: first.projectId,
          scopes: ['gateway:invoke', 'otel:write', 'traces:read', 'admin'],
          expiresAt: null,
        },
      });
      expect((await store.projects.get(first.projectId))?.name).toBe('default');
      expect(await store.bootstrap()).toEqual({ status: 'existing' });
      expect(await store.organizations.list()).toHaveLength(1);
    } finally {
      await close();
    }
  });

  it('uses a given key, keeps it on later calls and adds it to a store that lacks it', async () => {
    const { store, close } = await openTestStore(engine);
    try {
      const first = await store.bootstrap({ apiKey: GIVEN });
      expect(first).toMatchObject({ status: 'created', secret: GIVEN });
      expect(await store.bootstrap({ apiKey: GIVEN })).toEqual({ status: 'existing' });
      const other = `to11_live_${'q'.repeat(30)}`;
      const added = await store.bootstrap({ apiKey: other });
      expect(added).toMatchObject({ status: 'created', secret: other });
      if (first.status === 'created' && added.status === 'created') {
        expect(added.projectId).toBe(first.projectId);
      }
      expect((await store.keys.verify(other)).status).toBe('valid');
      expect(await store.organizations.list()).toHaveLength(1);
      await expect(store.bootstrap({ apiKey: 'to11_test_short' })).rejects.toThrow(/must match/);
    } finally {
      await close();
    }
  });

  it('creates one organization when two stores bootstrap at the same time', async () => {
    const { store, databaseUrl, close } = await openTestStore(engine);
    const second = databaseUrl === null ? store : await openStore({ databaseUrl });
    try {
      const results = await Promise.all([store.bootstrap(), second.bootstrap()]);
      expect(results.map((r) => r.status).sort()).toEqual(['created', 'existing']);
      expect(await store.organizations.list()).toHaveLength(1);
    } finally {
      if (second !== store) await second.close();
      await close();
    }
  });
});

describe('bootstrap on a PGlite data directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'to11-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps a given key valid across a reopen', async () => {
    const dataDir = join(dir, 'nested', 'data');
    const first = await openStore({ dataDir });
    expect((await first.bootstrap({ apiKey: GIVEN })).status).toBe('created');
    await first.close();
    const reopened = await openStore({ dataDir });
    try {
      expect(await reopened.bootstrap({ apiKey: GIVEN })).toEqual({ status: 'existing' });
      expect((await reopened.keys.verify(GIVEN)).status).toBe('valid');
    } finally {
      await reopened.close();
    }
  });
});
