/**
 * Test helpers (`@to11/store/testing`): every engine the tests can reach, and a throwaway store
 * on each. Postgres tests get their own database, because other suites share the server.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SpanRecord } from '@to11/trace-core';
import postgres from 'postgres';
import { copyText } from './span-insert-sql.ts';
import { SPAN_COLUMNS, toSpanTextRow } from './span-row.ts';
import { openStore } from './store.ts';
import type { Store } from './types.ts';

export { startRedisCluster, type TestRedisCluster } from './redis-cluster-testing.ts';
export { randomHex, seededRandom, spanFixture } from './span-fixture.ts';

import type { Worker } from 'node:worker_threads';
import { liveChildren } from './engine-embedded-postgres.ts';
import { liveWorkers } from './engine-pglite.ts';
import { findPostgresBinaries } from './postgres-binaries.ts';

/** The worker threads of the embedded stores open in this process (to make one crash). */
export function embeddedWorkers(): Worker[] {
  return [...liveWorkers];
}

/** The PIDs of the Postgres children of the embedded stores open in this process. */
export function embeddedPostgresPids(): { watchdog: number; postmaster: number }[] {
  return [...liveChildren].map((child) => child.pids);
}

/** An engine tests can run on. */
export type TestEngine = 'pglite' | 'embedded-postgres' | 'postgres';

/** A store for one test file, and how to dispose of it. */
export interface TestStore {
  store: Store;
  /** Postgres only: the URL of the throwaway database (to open a second store on it). */
  databaseUrl: string | null;
  close(): Promise<void>;
}

/** `['pglite']`, plus `'postgres'` when `DATABASE_URL` is set. */
export function testEngines(): TestEngine[] {
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/**
 * `testEngines()` plus `'embedded-postgres'` where its binaries are installed: for the store's
 * own tests and the all-in-one's, which run on every engine a data directory can have. The
 * apps' suites keep `testEngines()`: the embedded Postgres is reached through the same
 * postgres.js engine as a server.
 */
export function storeTestEngines(): TestEngine[] {
  const engines = testEngines();
  if ('missing' in findPostgresBinaries()) return engines;
  return [engines[0] ?? 'pglite', 'embedded-postgres', ...engines.slice(1)];
}

/** `DATABASE_URL` with its database replaced by `name`. */
function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A fresh store: PGlite in memory, the embedded Postgres in a temporary directory (removed on
 * close), or a new `to11_test_<random>` database on the server of `DATABASE_URL`, dropped
 * (`WITH (FORCE)`) on close.
 */
export async function openTestStore(
  engine: TestEngine,
  options: { keyCacheTtlMs?: number; poolSize?: number } = {},
): Promise<TestStore> {
  if (engine === 'pglite') {
    const store = await openStore({ dataDir: ':memory:', ...options });
    return { store, databaseUrl: null, close: () => store.close() };
  }
  if (engine === 'embedded-postgres') {
    const dataDir = mkdtempSync(join(tmpdir(), 'to11-test-'));
    const dispose = () => rmSync(dataDir, { recursive: true, force: true });
    try {
      const store = await openStore({ dataDir, embeddedEngine: 'postgres', ...options });
      if (store.engine !== 'embedded-postgres') throw new Error(`opened ${store.engine} instead`);
      return {
        store,
        databaseUrl: null,
        close: () => store.close().finally(dispose),
      };
    } catch (error) {
      dispose();
      throw error;
    }
  }
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('openTestStore("postgres") needs DATABASE_URL');
  const name = `to11_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  const databaseUrl = withDatabase(serverUrl, name);
  try {
    const store = await openStore({ databaseUrl, ...options });
    return {
      store,
      databaseUrl,
      async close() {
        try {
          await store.close();
        } finally {
          await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
          await admin.end();
        }
      },
    };
  } catch (error) {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
    throw error;
  }
}

/**
 * The COPY text (tab-separated, one line per span) of `spans` for the columns `columns`, exactly
 * as the Postgres write path encodes them: for benchmarks that COPY the same rows directly.
 */
export function spanCopyText(spans: SpanRecord[]): { columns: string[]; text: string } {
  return { columns: SPAN_COLUMNS.map(([name]) => name), text: copyText(spans.map(toSpanTextRow)) };
}

export { type ReadFixture, T0 as READ_FIXTURE_T0, writeReadFixture } from './read-fixture.ts';
