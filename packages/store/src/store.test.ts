import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactDatabaseUrl, StoreUnavailableError } from './errors.ts';
import { resolveMigrationsFolder } from './migrations.ts';
import { openStore } from './store.ts';
import { openTestStore, storeTestEngines, type TestStore } from './testing.ts';

describe.each(storeTestEngines())('openStore on %s', (engine) => {
  let handle: TestStore;
  beforeAll(async () => {
    handle = await openTestStore(engine);
  });
  afterAll(() => handle.close());

  it('applies the migrations and answers ping', async () => {
    expect(handle.store.engine).toBe(engine);
    expect(await handle.store.ping()).toBe(true);
    expect(await handle.store.organizations.list()).toEqual([]);
    expect(await handle.store.spans.getTrace('proj_x', `${'0'.repeat(31)}1`)).toEqual([]);
  });

  it('answers ping false once closed, and closing twice is harmless', async () => {
    const { store, close } = await openTestStore(engine);
    await store.close();
    expect(await store.ping()).toBe(false);
    await close();
  });
});

describe('openStore failures', () => {
  it('throws StoreUnavailableError naming the URL without its password', async () => {
    const error = await openStore({ databaseUrl: 'postgres://user:secret@127.0.0.1:1/x' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreUnavailableError);
    const message = (error as Error).message;
    expect(message).toMatch(/^cannot reach the store at postgres:\/\/user@127\.0\.0\.1:1\/x: /);
    expect(message).toMatch(/ECONNREFUSED/);
    expect(message).not.toContain('secret');
  });

  it('redacts passwords in URLs and query strings', () => {
    expect(redactDatabaseUrl('postgres://a:b@h:5/d?password=c&x=1')).toBe(
      'postgres://a@h:5/d?password=redacted&x=1',
    );
    expect(redactDatabaseUrl('not a url a:b@c')).toBe('not a url a@c');
  });
});

describe('openStore on a PGlite data directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'to11-open-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the directory and reopens it with the same data', async () => {
    const dataDir = join(dir, 'a', 'b');
    const first = await openStore({ dataDir });
    await first.organizations.create('kept');
    await first.close();
    const second = await openStore({ dataDir, migrationsFolder: resolveMigrationsFolder() });
    expect((await second.organizations.list()).map((o) => o.name)).toEqual(['kept']);
    await second.close();
  });
});
