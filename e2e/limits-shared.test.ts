/**
 * Limits and key revocation shared by separate gateway processes through Redis (SPEC §10
 * "Shared state"): two built gateways and a collector on one Postgres and one Redis. A limit set
 * through the collector's admin API holds across both gateways, its usage is readable there,
 * and a key revoked there stops working on every gateway at once, well before the 5 s key
 * cache would let it go. Run on one Redis (`REDIS_URL`) and on a three-master Redis Cluster
 * started by the test (`REDIS_CLUSTER_NODES`), where a key's and a project's counters are in
 * different slots and revocations go through cluster-wide pub/sub.
 */
import { randomBytes } from 'node:crypto';
import { startRedisCluster, type TestRedisCluster } from '@to11/store/testing';
import { Redis } from 'ioredis';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from './src/fake-provider.ts';
import { gatewayOpenAI } from './src/gateway-client.ts';
import { ENTRY_POINTS, type ProductProcess, spawnProduct } from './src/product-process.ts';
import { createThrowawayDatabase, type ThrowawayDatabase } from './src/throwaway-database.ts';
import { createProjectKey } from './src/to11-admin.ts';
import { E2E_API_KEY, type RunningProduct, startSeparate } from './src/topology.ts';

const serverUrl = process.env.DATABASE_URL;
const REDIS_URL = 'redis://127.0.0.1:6379';
const KEY_CACHE_TTL_MS = 5_000;

function chat(gatewayUrl: string, key: string): Promise<unknown> {
  return gatewayOpenAI(gatewayUrl, key)
    .chat.completions.create(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] },
      { maxRetries: 0 },
    )
    .catch((error: unknown) => error);
}

describe.skipIf(serverUrl === undefined).each(['one Redis', 'a Redis Cluster'])(
  serverUrl === undefined
    ? 'shared limits on %s (skipped: DATABASE_URL is not set)'
    : 'limits and revocation shared by two gateway processes on %s',
  (topology) => {
    let cluster: TestRedisCluster | undefined;
    const prefix = `to11-e2e:${randomBytes(4).toString('hex')}:`;
    let fake: FakeProvider;
    let database: ThrowawayDatabase;
    let product: RunningProduct;
    let second: ProductProcess;
    let secondUrl = '';
    const admin = (method: string, path: string, body?: unknown) =>
      fetch(`${product.httpUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${E2E_API_KEY}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    beforeAll(async () => {
      if (serverUrl === undefined) throw new Error('DATABASE_URL is not set');
      fake = await startFakeProvider();
      database = await createThrowawayDatabase(serverUrl);
      if (topology === 'a Redis Cluster') cluster = await startRedisCluster();
      const redisEnv: Record<string, string> = cluster
        ? { REDIS_CLUSTER_NODES: cluster.nodes.join(',') }
        : { REDIS_URL };
      const env = { ...redisEnv, TO11_REDIS_KEY_PREFIX: prefix };
      product = await startSeparate({
        providerBaseUrl: fake.baseUrl,
        databaseUrl: database.url,
        env,
      });
      second = spawnProduct('gateway-2', ENTRY_POINTS.gateway, {
        ...env,
        DATABASE_URL: database.url,
        TO11_GATEWAY_PORT: '0',
        TO11_OPENAI_BASE_URL: fake.baseUrl,
      });
      secondUrl = (await second.waitFor(/gateway listening on (http:\/\/\S+)/, 60_000))[1] ?? '';
    });

    afterAll(async () => {
      await second?.stop();
      await product?.stop();
      await database?.drop();
      await fake?.close();
      if (cluster) {
        await cluster.stop();
        return;
      }
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    });

    it('holds a project limit set through the admin API across both gateways, and shows the usage', async () => {
      const { projectId, key } = await createProjectKey(product.httpUrl, E2E_API_KEY, 'limited', [
        'gateway:invoke',
      ]);
      const put = await admin('PUT', `/api/v1/limits?projectId=${projectId}`, {
        requests_per_minute: 3,
      });
      expect(put.status).toBe(200);
      // Both gateways admit the first three calls of the minute between them, then refuse.
      const answers = [];
      for (const url of [product.gatewayUrl, secondUrl, product.gatewayUrl, secondUrl]) {
        answers.push(await chat(url, key));
      }
      const refused = answers.filter((answer) => answer instanceof OpenAI.RateLimitError);
      // A call at a minute boundary starts a new window: at most one more may pass then.
      expect(refused.length).toBeGreaterThanOrEqual(1);
      const error = refused[0] as InstanceType<typeof OpenAI.RateLimitError>;
      expect(error.headers?.get('x-to11-limit')).toBe('project.requests_per_minute');
      expect(Number(error.headers?.get('retry-after'))).toBeGreaterThan(0);

      const shown = await admin('GET', `/api/v1/limits?projectId=${projectId}`);
      const body = (await shown.json()) as {
        limits: Record<string, number | null>;
        usage: Record<string, { used: number }>;
      };
      expect(body.limits).toEqual({
        requests_per_minute: 3,
        tokens_per_minute: null,
        usd_per_day: null,
        usd_per_month: null,
      });
      expect(body.usage.requests_per_minute?.used).toBeGreaterThanOrEqual(1);
    });

    it('refuses a key revoked through the admin API on both gateways at once', async () => {
      const created = await admin('POST', '/api/v1/keys', {
        scopeClass: 'org',
        scopes: ['gateway:invoke'],
      });
      const { id, key } = (await created.json()) as { id: string; key: string };
      const headers = { 'x-to11-project-id': await defaultProject() };
      const call = (url: string) =>
        fetch(`${url}/v1/chat/completions`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: 'Bearer sk-e2e-provider-key',
            'x-to11-authorization': `Bearer ${key}`,
            ...headers,
          },
          body: JSON.stringify({
            model: 'gpt-4o-mini',
            messages: [{ role: 'user', content: 'x' }],
          }),
        });
      // Both gateways now trust the key from their caches.
      expect((await call(product.gatewayUrl)).status).toBe(200);
      expect((await call(secondUrl)).status).toBe(200);
      const revokedAt = Date.now();
      expect((await admin('DELETE', `/api/v1/keys/${id}`)).status).toBe(204);
      for (const url of [product.gatewayUrl, secondUrl]) {
        let status = 0;
        while (Date.now() - revokedAt < KEY_CACHE_TTL_MS) {
          status = (await call(url)).status;
          if (status === 401) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        // Without the published revocation the cached key would pass until the TTL ran out.
        expect(status).toBe(401);
      }
    });

    async function defaultProject(): Promise<string> {
      const listed = (await (await admin('GET', '/api/v1/projects')).json()) as {
        projects: { id: string; name: string }[];
      };
      return listed.projects.find((p) => p.name === 'default')?.id ?? '';
    }
  },
);
