/**
 * The shared state on a Redis Cluster (`REDIS_CLUSTER_NODES`, SPEC §10 "Shared state"): a test
 * cluster of three masters started here, two gateways on it. Limits of the API key and of its
 * project (two hash slots) hold across both, a refusal by the project takes back the key's
 * count, budgets are added per slot, and the exact and semantic caches are shared.
 */
import { randomBytes } from 'node:crypto';
import { counterKey } from '@to11/store';
import { startRedisCluster, type TestRedisCluster } from '@to11/store/testing';
import { Cluster } from 'ioredis';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeToml } from './config-file.ts';
import { type Harness, sdkClients, startHarness } from './harness.ts';
import { frozenClock, limitedCaller, openaiChat } from './limits-helpers.ts';

describe('shared state on a three-master Redis Cluster', () => {
  let cluster: TestRedisCluster;
  let client: Cluster;
  let h: Harness;
  let second = '';
  const clock = frozenClock();
  const prefix = `to11-test:${randomBytes(4).toString('hex')}:`;
  beforeAll(async () => {
    cluster = await startRedisCluster();
    client = new Cluster(
      cluster.nodes.map((node) => ({ host: '127.0.0.1', port: Number(node.split(':')[1]) })),
    );
    const config = writeToml(
      '[cache]',
      'exact = true',
      `redis_prefix = "${prefix}cache:"`,
      '[cache.semantic]',
      'model = "openai::text-embedding-3-small"',
      'similarity_threshold = 0.9',
      'store = "redis"',
    );
    const env = {
      REDIS_CLUSTER_NODES: cluster.nodes.join(','),
      TO11_REDIS_KEY_PREFIX: prefix,
      TO11_CONFIG: config,
    };
    h = await startHarness('pglite', env, { limitClock: clock.read });
    second = (await h.startGateway(env)).url;
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    client?.disconnect();
    await cluster?.stop();
  });

  it('keeps the counters of one subject in one slot, and another subject elsewhere', async () => {
    const slotOf = (key: string) => client.cluster('KEYSLOT', key);
    const keySlot = await slotOf(counterKey(prefix, 'key_a', 'requests_per_minute', 0));
    expect(await slotOf(counterKey(prefix, 'key_a', 'usd_per_month', 0))).toBe(keySlot);
    expect(await slotOf(counterKey(prefix, 'proj_a', 'requests_per_minute', 0))).not.toBe(keySlot);
  });

  it('holds a per-minute limit across both gateways, and admits again next minute', async () => {
    const caller = await limitedCaller(h, { key: { requests_per_minute: 3 } });
    const one = caller.clients(h.gateway.url).openai;
    const two = caller.clients(second).openai;
    for (const openai of [one, two, one]) {
      expect(await openaiChat(openai)).toMatchObject({ object: 'chat.completion' });
    }
    const refused = (await openaiChat(two)) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect(refused.headers?.get('x-to11-limit')).toBe('key.requests_per_minute');
    clock.now += 60_000;
    expect(await openaiChat(two)).toMatchObject({ object: 'chat.completion' });
  });

  it("takes back the key's count when the project refuses", async () => {
    const caller = await limitedCaller(h, {
      key: { requests_per_minute: 10 },
      project: { requests_per_minute: 2 },
    });
    const one = caller.clients(h.gateway.url).openai;
    const two = caller.clients(second).openai;
    expect(await openaiChat(one)).toMatchObject({ object: 'chat.completion' });
    expect(await openaiChat(two)).toMatchObject({ object: 'chat.completion' });
    const refused = (await openaiChat(one)) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(refused.headers?.get('x-to11-limit')).toBe('project.requests_per_minute');
    const counted = await client.get(
      counterKey(prefix, caller.keyId, 'requests_per_minute', clock.now),
    );
    expect(counted).toBe('2');
  });

  it('spends one monthly budget from both gateways', async () => {
    // 55 micro-dollars a call: three calls reach 0.00015.
    const caller = await limitedCaller(h, { key: { usd_per_month: 0.00015 } });
    // The same question again would be an exact-cache hit, which costs nothing.
    const uncached = (url: string) =>
      new OpenAI({
        apiKey: 'sk-unused',
        baseURL: `${url}/v1`,
        defaultHeaders: { ...caller.headers, 'cache-control': 'no-cache' },
        maxRetries: 0,
      });
    const one = uncached(h.gateway.url);
    const two = uncached(second);
    for (const openai of [one, two, one]) {
      expect(await openaiChat(openai)).toMatchObject({ object: 'chat.completion' });
    }
    const key = counterKey(prefix, caller.keyId, 'usd_per_month', clock.now);
    for (let tries = 0; Number(await client.get(key)) < 165; tries += 1) {
      if (tries > 100) throw new Error('the budget never reached the cluster');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const refused = (await openaiChat(two)) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(refused.headers?.get('x-to11-limit')).toBe('key.usd_per_month');
  });

  it('shares the exact and the semantic cache between both gateways', async () => {
    const a = sdkClients(h, { maxRetries: 0, gateway: h.gateway }).openai;
    const b = new OpenAI({
      apiKey: 'sk-unused',
      baseURL: `${second}/v1`,
      defaultHeaders: h.to11Headers,
      maxRetries: 0,
    });
    const word = `zq${randomBytes(5).toString('hex')}`;
    const ask = (client: OpenAI, content: string) =>
      client.chat.completions
        .create({ model: 'gpt-4o', messages: [{ role: 'user', content }] })
        .withResponse();
    const first = await ask(a, `What is the capital of ${word}?`);
    expect(first.response.headers.get('x-to11-cache')).toBe('miss');
    // The writes are not awaited by the answer: wait until both are stored.
    for (let tries = 0; ; tries += 1) {
      const metrics = await (await fetch(`${h.gateway.url}/metrics`)).text();
      const exact = /to11_cache_writes_total\{backend="redis",result="stored"\} [1-9]/;
      const semantic = /to11_semantic_cache_writes_total\{backend="redis",result="stored"\} [1-9]/;
      if (exact.test(metrics) && semantic.test(metrics)) break;
      if (tries > 200) throw new Error('the cache entries never reached the cluster');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const exact = await ask(b, `What is the capital of ${word}?`);
    expect(exact.response.headers.get('x-to11-cache-type')).toBe('exact');
    expect(exact.data).toEqual(first.data);
    const near = await ask(b, `what is the capital city of ${word}`);
    expect(near.response.headers.get('x-to11-cache-type')).toBe('semantic');
  });
});
