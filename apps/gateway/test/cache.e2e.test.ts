import { randomBytes } from 'node:crypto';
import type Anthropic from '@anthropic-ai/sdk';
import { testEngines } from '@to11/store/testing';
import { Redis } from 'ioredis';
import type OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StartedGateway } from '../src/index.ts';
import { writeToml } from './config-file.ts';
import { sendJson } from './fake-provider.ts';
import {
  type Harness,
  sdkClients,
  spanNamed,
  startHarness,
  streamedText,
  traceIdOf,
} from './harness.ts';
import { ANSWER, defaultProvider } from './provider-script.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';

function clients(h: Harness, gateway: StartedGateway) {
  return sdkClients(h, { maxRetries: 0, gateway });
}

/** A question no other test asks (so each test starts from an empty cache). */
function question(label: string): { role: 'user'; content: string }[] {
  return [{ role: 'user', content: `${label} ${randomBytes(6).toString('hex')}` }];
}

describe.each(testEngines())('exact cache on %s', (engine) => {
  let h: Harness;
  let openai: OpenAI;
  let anthropic: Anthropic;
  let gateway: StartedGateway;
  beforeAll(async () => {
    h = await startHarness(engine);
    gateway = await h.startGateway({
      TO11_CONFIG: writeToml('[cache]', 'exact = true', 'ttl_seconds = 600'),
    });
    ({ openai, anthropic } = clients(h, gateway));
  });
  afterEach(() => {
    h.fake.handler = defaultProvider;
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers the same question from the cache: hit header, no upstream call, zero cost', async () => {
    const messages = question('capital of France?');
    const first = await openai.chat.completions
      .create({ model: 'gpt-4o', messages, temperature: 0 })
      .withResponse();
    expect(first.response.headers.get('x-to11-cache')).toBe('miss');
    const calls = h.fake.requests.length;
    // Key order and the non-semantic `user` do not change the key.
    const second = await openai.chat.completions
      .create({ temperature: 0, messages, model: 'gpt-4o', user: 'someone-else' })
      .withResponse();
    expect(second.response.headers.get('x-to11-cache')).toBe('hit');
    expect(second.response.headers.get('x-to11-cache-type')).toBe('exact');
    expect(h.fake.requests.length).toBe(calls);
    expect(second.data).toEqual(first.data);

    const traceId = traceIdOf(second.response.headers.get('traceparent'));
    const genai = spanNamed(await h.spans(traceId, 2), 'chat gpt-4o');
    expect(genai.attributes).toMatchObject({
      'gateway.cache.hit': true,
      'gateway.cache.backend': 'memory',
      'gateway.cache.type': 'exact',
      'gen_ai.usage.input_tokens': 0,
      'gen_ai.usage.output_tokens': 0,
      'gen_ai.usage.cost': 0,
      'gen_ai.response.id': first.data.id,
    });
    expect(genai.attributes['gateway.cache.key']).toMatch(/^[0-9a-f]{16}$/);
    expect(typeof genai.attributes['gateway.cache.age_s']).toBe('number');
    const { traces } = await h.store.spans.listTraces(h.projectId, { limit: 500 });
    const summary = traces.find((trace) => trace.traceId === traceId);
    expect(summary?.cost).toBe(0);
    expect(summary?.inputTokens).toBe(0);
    const missTrace = traces.find(
      (trace) => trace.traceId === traceIdOf(first.response.headers.get('traceparent')),
    );
    expect(missTrace?.cost).toBeGreaterThan(0);
  });

  it('bypasses the lookup on cache-control: no-cache and skips the write on no-store', async () => {
    const messages = question('bypass');
    await openai.chat.completions.create({ model: 'gpt-4o', messages });
    const calls = h.fake.requests.length;
    const bypass = await openai.chat.completions
      .create({ model: 'gpt-4o', messages }, { headers: { 'cache-control': 'no-cache' } })
      .withResponse();
    // SPEC §10 knows `hit` and `miss`: a bypassed lookup is a miss (its answer is stored).
    expect(bypass.response.headers.get('x-to11-cache')).toBe('miss');
    expect(h.fake.requests.length).toBe(calls + 1);
    const bypassSpan = spanNamed(
      await h.spans(traceIdOf(bypass.response.headers.get('traceparent')), 2),
      'chat gpt-4o',
    );
    expect(bypassSpan.attributes).toMatchObject({
      'gateway.cache.hit': false,
      'gateway.cache.bypass': true,
    });

    const unstored = question('no-store');
    const options = { headers: { 'cache-control': 'no-store' } };
    await openai.chat.completions.create({ model: 'gpt-4o', messages: unstored }, options);
    const again = await openai.chat.completions
      .create({ model: 'gpt-4o', messages: unstored })
      .withResponse();
    expect(again.response.headers.get('x-to11-cache')).toBe('miss');
    expect(h.fake.requests.length).toBe(calls + 3);
  });

  it('replays a cached stream as a stream the SDK reads, and keeps streams apart from JSON', async () => {
    const messages = question('stream me');
    const first = await openai.chat.completions
      .create({ model: 'gpt-4o', messages, stream: true })
      .withResponse();
    expect(first.response.headers.get('x-to11-cache')).toBe('miss');
    expect(await streamedText(first.data)).toBe(ANSWER);
    const calls = h.fake.requests.length;
    const second = await openai.chat.completions
      .create({ model: 'gpt-4o', messages, stream: true })
      .withResponse();
    expect(second.response.headers.get('x-to11-cache')).toBe('hit');
    expect(second.response.headers.get('content-type')).toContain('text/event-stream');
    expect(await streamedText(second.data)).toBe(ANSWER);
    expect(h.fake.requests.length).toBe(calls);
    const genai = spanNamed(
      await h.spans(traceIdOf(second.response.headers.get('traceparent')), 2),
      'chat gpt-4o',
    );
    expect(genai.attributes['gateway.cache.hit']).toBe(true);
    expect(genai.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);

    const json = await openai.chat.completions.create({ model: 'gpt-4o', messages }).withResponse();
    expect(json.response.headers.get('x-to11-cache')).toBe('miss');
    expect(json.data.choices[0]?.message.content).toBe(ANSWER);
  });

  it('caches Anthropic messages, streamed and not', async () => {
    const params = { model: 'claude-sonnet-4-6', max_tokens: 30, messages: question('hola') };
    await anthropic.messages.create(params);
    await anthropic.messages.create({ ...params, stream: true }).then(async (stream) => {
      for await (const _event of stream) {
        // drained so it is stored
      }
    });
    const calls = h.fake.requests.length;
    const plain = await anthropic.messages.create(params).withResponse();
    expect(plain.response.headers.get('x-to11-cache')).toBe('hit');
    const streamed = anthropic.messages.stream(params);
    const final = await streamed.finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'text', text: ANSWER });
    expect(h.fake.requests.length).toBe(calls);
  });

  it('stores only 200 answers', async () => {
    const messages = question('flaky');
    h.fake.handler = (_request, response) =>
      sendJson(response, 500, { error: { message: 'boom', type: 'server_error' } });
    await openai.chat.completions
      .create({ model: 'gpt-4o', messages })
      .catch((error: unknown) => error);
    h.fake.handler = defaultProvider;
    const next = await openai.chat.completions.create({ model: 'gpt-4o', messages }).withResponse();
    expect(next.response.headers.get('x-to11-cache')).toBe('miss');
  });
});

describe.each(testEngines())('exact cache in Redis on %s', (engine) => {
  let h: Harness;
  let redis: Redis;
  const prefix = `to11-test:cache:${process.pid}:${randomBytes(4).toString('hex')}:`;
  beforeAll(async () => {
    h = await startHarness(engine);
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    await h.close();
  });

  it('is shared by two gateways on one Redis', async () => {
    const config = writeToml('[cache]', 'exact = true', `redis_prefix = "${prefix}"`);
    const env = { TO11_CONFIG: config, REDIS_URL };
    const a = clients(h, await h.startGateway(env)).openai;
    const b = clients(h, await h.startGateway(env)).openai;
    const messages = question('shared');
    const first = await a.chat.completions.create({ model: 'gpt-4o', messages }).withResponse();
    expect(first.response.headers.get('x-to11-cache')).toBe('miss');
    // The write is not awaited by the answer: wait for it to land.
    for (let tries = 0; (await redis.keys(`${prefix}*`)).length === 0; tries += 1) {
      if (tries > 100) throw new Error('the cache entry never reached Redis');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const calls = h.fake.requests.length;
    const second = await b.chat.completions.create({ model: 'gpt-4o', messages }).withResponse();
    expect(second.response.headers.get('x-to11-cache')).toBe('hit');
    expect(second.data).toEqual(first.data);
    expect(h.fake.requests.length).toBe(calls);
  });

  it('keeps serving as misses when Redis is unreachable, and counts it', async () => {
    const config = writeToml('[cache]', 'exact = true', `redis_prefix = "${prefix}"`);
    const gateway = await h.startGateway({ TO11_CONFIG: config, REDIS_URL: 'redis://127.0.0.1:1' });
    const { openai } = clients(h, gateway);
    const messages = question('no redis');
    const calls = h.fake.requests.length;
    for (let i = 0; i < 2; i += 1) {
      const answer = await openai.chat.completions
        .create({ model: 'gpt-4o', messages })
        .withResponse();
      expect(answer.response.headers.get('x-to11-cache')).toBe('miss');
      expect(answer.data.choices[0]?.message.content).toBe(ANSWER);
    }
    expect(h.fake.requests.length).toBe(calls + 2);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toContain('to11_cache_lookups_total{backend="redis",result="error"} 2');
  });
});
