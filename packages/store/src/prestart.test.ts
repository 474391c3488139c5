/**
 * The embedded Postgres started ahead of `openStore` (`prestartEmbeddedStore`, what the
 * all-in-one's entry does before it loads gateway and collector): the store opened on it runs
 * on that server; a directory another store holds is refused through it; a prestart for
 * another directory is stopped and its directory usable again; no prestart where `openStore`
 * would not run Postgres. And a first start from the build's cluster template (which leaves out
 * the optional free space and visibility map forks) stores, vacuums and reads.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { alive } from './data-dir-lock.ts';
import { POSTGRES_TEMPLATE_FILE } from './embedded-postgres-start.ts';
import { StoreUnavailableError } from './errors.ts';
import { findPostgresBinaries } from './postgres-binaries.ts';
import { prestartEmbeddedStore } from './prestart.ts';
import { openStore } from './store.ts';
import { embeddedPostgresPids, spanFixture } from './testing.ts';

const dirs: string[] = [];

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'to11-prestart-'));
  // As root the server runs as another user, who must be able to pass through.
  chmodSync(dir, 0o711);
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const hasBinaries = !('missing' in findPostgresBinaries());

describe.skipIf(!hasBinaries)('a prestarted embedded Postgres', () => {
  it('is the server the store opened on it runs on, and stops with the store', async () => {
    const dir = dataDir();
    const prestart = prestartEmbeddedStore({ dataDir: dir });
    expect(prestart?.dataDir).toBe(resolve(dir));
    const started = await prestart?.started;
    const store = await openStore({ dataDir: dir, prestart });
    try {
      expect(store.engine).toBe('embedded-postgres');
      expect(embeddedPostgresPids().map((p) => p.postmaster)).toContain(
        started?.child.pids.postmaster,
      );
      const boot = await store.bootstrap();
      if (boot.status !== 'created') throw new Error('not bootstrapped');
      const span = spanFixture(boot.projectId);
      expect((await store.spans.write([span])).status).toBe('ok');
      const trace = await store.spans.getTrace(boot.projectId, span.traceId);
      expect(trace.map((s) => s.spanId)).toEqual([span.spanId]);
    } finally {
      await store.close();
    }
    expect(alive(started?.child.pids.postmaster ?? 0)).toBe(false);
  });

  it('refuses, through openStore, a directory another store holds', async () => {
    const dir = dataDir();
    const first = await openStore({ dataDir: dir });
    try {
      const prestart = prestartEmbeddedStore({ dataDir: dir });
      await expect(openStore({ dataDir: dir, prestart })).rejects.toThrow(StoreUnavailableError);
      expect(await first.ping()).toBe(true);
    } finally {
      await first.close();
    }
  });

  it('is stopped when the store opens elsewhere, leaving its directory to the next start', async () => {
    const [dir, other] = [dataDir(), dataDir()];
    const prestart = prestartEmbeddedStore({ dataDir: dir });
    const started = await prestart?.started;
    const store = await openStore({ dataDir: other, prestart });
    await store.close();
    await prestart?.release();
    expect(alive(started?.child.pids.postmaster ?? 0)).toBe(false);
    const again = await openStore({ dataDir: dir });
    expect(await again.ping()).toBe(true);
    await again.close();
  });

  it('is not made where openStore would not run Postgres', async () => {
    expect(prestartEmbeddedStore({ dataDir: dataDir(), embeddedEngine: 'pglite' })).toBeNull();
    expect(prestartEmbeddedStore({ dataDir: ':memory:' })).toBeNull();
    const pgliteDir = dataDir();
    const made = await openStore({ dataDir: pgliteDir, embeddedEngine: 'pglite' });
    await made.close();
    expect(prestartEmbeddedStore({ dataDir: pgliteDir })).toBeNull();
  });
});

describe.skipIf(!hasBinaries)('a first start from the cluster template', () => {
  it('has no free space or visibility map forks, and stores, vacuums and reads', async () => {
    const folder = join(dataDir(), 'drizzle');
    cpSync(resolve(import.meta.dirname, '../drizzle'), folder, { recursive: true });
    execFileSync(
      process.execPath,
      ['--import', 'tsx', resolve(import.meta.dirname, '../scripts/postgres-template.ts'), folder],
      { cwd: resolve(import.meta.dirname, '../../..'), stdio: 'inherit' },
    );
    const names = execFileSync('tar', ['-tzf', join(folder, POSTGRES_TEMPLATE_FILE)], {
      encoding: 'utf8',
    }).split('\n');
    expect(names).toContain('./PG_VERSION');
    expect(names.filter((name) => /_(fsm|vm)$/.test(name))).toEqual([]);

    const dir = dataDir();
    const store = await openStore({ dataDir: dir, migrationsFolder: folder });
    try {
      expect(store.engine).toBe('embedded-postgres');
      const boot = await store.bootstrap();
      if (boot.status !== 'created') throw new Error('not bootstrapped');
      const traceId = spanFixture(boot.projectId).traceId;
      const spans = Array.from({ length: 50 }, () => spanFixture(boot.projectId, { traceId }));
      expect((await store.spans.write(spans)).status).toBe('ok');
      // VACUUM makes the maps the template left out (for the catalogs too); reads are unchanged.
      const sql = postgres({
        path: join(dir, 'postgres', '.s.PGSQL.5432'),
        user: 'postgres',
        database: 'postgres',
        max: 1,
      });
      try {
        await sql.unsafe('vacuum');
      } finally {
        await sql.end();
      }
      const trace = await store.spans.getTrace(boot.projectId, traceId);
      expect(trace).toHaveLength(50);
    } finally {
      await store.close();
    }
    const forks = (sub: string) =>
      readdirSync(join(dir, 'postgres', sub)).filter((name) => /_(fsm|vm)$/.test(name));
    expect(existsSync(join(dir, 'postgres', 'PG_VERSION'))).toBe(true);
    expect(forks('global').length).toBeGreaterThan(0);
  });
});
