/**
 * End-to-end harness: a real store (`@to11/store/testing`) and a listening collector on port 0,
 * bootstrapped like a first start (org, project `default`, an all-scopes project key).
 */
import { openStore, type Scope, type ScopeClass, type Store } from '@to11/store';
import { openTestStore, type TestEngine } from '@to11/store/testing';
import { pino } from 'pino';
import { type CollectorConfig, loadCollectorConfig } from '../src/config.ts';
import { type RunningCollector, startCollector } from '../src/start-collector.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

/** Secret the harness signs ingest tokens with (tests forge tokens with it). */
export const TOKEN_SECRET = 'e2e-token-secret-0123456789abcdef';

/** A running collector over a throwaway store. */
export interface Harness {
  engine: TestEngine;
  store: Store;
  /** The throwaway database on Postgres (another process's store opens it), else null. */
  databaseUrl: string | null;
  /** With `{ proxy: true }` on Postgres: the TCP proxy between the collector's store and Postgres. */
  proxy: TcpProxy | null;
  collector: RunningCollector;
  httpUrl: string;
  grpcUrl: string;
  orgId: string;
  projectId: string;
  /** The bootstrap key: project-scoped to `projectId`, all four scopes. */
  adminKey: string;
  /** Creates an API key straight in the store. */
  createKey(input: {
    scopeClass?: ScopeClass;
    projectId?: string | null;
    scopes: Scope[];
    orgId?: string;
    expiresAt?: Date;
  }): Promise<string>;
  /** Exchanges an API key for an ingest token; fails the test unless it answers 200. */
  ingestToken(credential?: string, requestedProjectId?: string): Promise<string>;
  /** `fetch` against the HTTP listener. */
  http(path: string, init?: RequestInit): Promise<Response>;
  /** Stops the collector (graceful) and the store. */
  close(): Promise<void>;
}

/**
 * Starts a harness on `engine`; `overrides` adjust the collector config. `proxy` (Postgres only)
 * puts a TCP proxy between the store and its database, so a test can take the database away.
 */
export async function startHarness(
  engine: TestEngine,
  overrides: Partial<CollectorConfig> = {},
  options: { proxy?: boolean } = {},
): Promise<Harness> {
  const testStore = await openTestStore(engine);
  let store = testStore.store;
  let proxy: TcpProxy | null = null;
  if (options.proxy && testStore.databaseUrl !== null) {
    const url = new URL(testStore.databaseUrl);
    proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    store = await openStore({ databaseUrl: url.toString() });
  }
  const boot = await store.bootstrap();
  if (boot.status !== 'created') throw new Error('bootstrap did not create a key');
  const config = {
    ...loadCollectorConfig({ TO11_COLLECTOR_GRPC_PORT: '0', TO11_COLLECTOR_HTTP_PORT: '0' }),
    ...overrides,
  };
  const collector = await startCollector({
    config,
    store,
    logger: pino({ level: 'silent' }),
    tokenSecret: TOKEN_SECRET,
  });
  const http = (path: string, init?: RequestInit) => fetch(`${collector.httpUrl}${path}`, init);
  return {
    engine,
    store,
    databaseUrl: testStore.databaseUrl,
    proxy,
    collector,
    httpUrl: collector.httpUrl,
    grpcUrl: collector.grpcUrl,
    orgId: boot.orgId,
    projectId: boot.projectId,
    adminKey: boot.secret,
    async createKey(input) {
      const scopeClass = input.scopeClass ?? 'project';
      const { secret } = await store.keys.create({
        orgId: input.orgId ?? boot.orgId,
        scopeClass,
        projectId: scopeClass === 'org' ? null : (input.projectId ?? boot.projectId),
        scopes: input.scopes,
        expiresAt: input.expiresAt ?? null,
      });
      return secret;
    },
    async ingestToken(credential = boot.secret, requestedProjectId) {
      const response = await http('/v1/ingest-token/exchange', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ credential, requestedProjectId }),
      });
      const body = (await response.json()) as { token?: string };
      if (response.status !== 200 || body.token === undefined) {
        throw new Error(`token exchange answered ${response.status}: ${JSON.stringify(body)}`);
      }
      return body.token;
    },
    http,
    async close() {
      // The throwaway database is dropped even when a graceful close fails or times out.
      try {
        await collector.close();
        if (proxy !== null) {
          await store.close();
          await proxy.close();
        }
      } finally {
        await testStore.close();
      }
    },
  };
}

/** `Authorization: Bearer <credential>` plus extra headers. */
export function bearer(credential: string, extra: Record<string, string> = {}) {
  return { authorization: `Bearer ${credential}`, ...extra };
}

/** A JSON call of the admin API, with the bootstrap key unless `key` is given. */
export function adminCall(
  harness: Harness,
  method: string,
  path: string,
  body?: unknown,
  key = harness.adminKey,
) {
  return harness.http(path, {
    method,
    headers: bearer(key, { 'content-type': 'application/json' }),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}
