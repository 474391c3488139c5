/**
 * Limits shared by two gateways on one Redis (SPEC §10 "Shared state"): a per-minute limit holds
 * across both, a budget resets in the next window on both, and with Redis unreachable a gateway
 * keeps serving (`on_redis_error = "open"`, counted in /metrics) or refuses with 503
 * `overloaded` (`"closed"`).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.ts';
import { frozenClock, limitedCaller, openaiChat, redisPrefix } from './limits-helpers.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const UNREACHABLE_REDIS = 'redis://127.0.0.1:1';

describe('limits on two gateways sharing Redis', () => {
  let h: Harness;
  const clock = frozenClock();
  const redis = redisPrefix();
  let second = '';
  beforeAll(async () => {
    const env = { REDIS_URL, TO11_REDIS_KEY_PREFIX: redis.prefix };
    h = await startHarness('pglite', env, { limitClock: clock.read });
    second = (await h.startGateway(env)).url;
  });
  afterAll(async () => {
    await h?.close();
    await redis.cleanUp();
  });

  it('holds a per-minute limit across both gateways, and admits again next minute', async () => {
    const caller = await limitedCaller(h, { key: { requests_per_minute: 3 } });
    const one = caller.clients(h.gateway.url).openai;
    const two = caller.clients(second).openai;
    expect(await openaiChat(one)).toMatchObject({ object: 'chat.completion' });
    expect(await openaiChat(two)).toMatchObject({ object: 'chat.completion' });
    expect(await openaiChat(one)).toMatchObject({ object: 'chat.completion' });
    // Per process, the second gateway would have counted only one request so far.
    const refused = (await openaiChat(two)) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect(refused.headers?.get('x-to11-limit')).toBe('key.requests_per_minute');
    clock.now += 60_000;
    expect(await openaiChat(two)).toMatchObject({ object: 'chat.completion' });
  });

  it('spends one monthly budget from both gateways, and resets it in the next month', async () => {
    // 55 micro-dollars a call: three calls reach 0.00015.
    const caller = await limitedCaller(h, { key: { usd_per_month: 0.00015 } });
    const one = caller.clients(h.gateway.url).openai;
    const two = caller.clients(second).openai;
    for (const client of [one, two, one]) {
      expect(await openaiChat(client)).toMatchObject({ object: 'chat.completion' });
    }
    // Usage is added after the answer went out: wait until Redis holds all three calls.
    const refused = (await eventually(() => openaiChat(two))) as InstanceType<
      typeof OpenAI.RateLimitError
    >;
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect(refused.headers?.get('x-to11-limit')).toBe('key.usd_per_month');
    const now = new Date(clock.now);
    clock.now = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 0, 0, 30);
    expect(await openaiChat(one)).toMatchObject({ object: 'chat.completion' });
  });
});

/** Calls `call` until it throws a RateLimitError (at most 5 s); a success spends budget too. */
async function eventually(call: () => Promise<unknown>): Promise<unknown> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const result = await call();
    if (result instanceof OpenAI.RateLimitError || Date.now() > deadline) return result;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('limits while Redis is unreachable', () => {
  let h: Harness;
  let closed = '';
  beforeAll(async () => {
    h = await startHarness('pglite', { REDIS_URL: UNREACHABLE_REDIS });
    const config = join(mkdtempSync(join(tmpdir(), 'to11-limits-')), 'to11.toml');
    writeFileSync(config, '[limits]\non_redis_error = "closed"\n');
    closed = (await h.startGateway({ REDIS_URL: UNREACHABLE_REDIS, TO11_CONFIG: config })).url;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('serves unchecked when open, counting the failure in /metrics', async () => {
    const caller = await limitedCaller(h, { key: { requests_per_minute: 1 } });
    const { openai } = caller.clients(h.gateway.url);
    expect(await openaiChat(openai)).toMatchObject({ object: 'chat.completion' });
    expect(await openaiChat(openai)).toMatchObject({ object: 'chat.completion' });
    const metrics = await (await fetch(`${h.gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/^to11_limit_state_errors_total\{on_redis_error="open"\} [2-9]/m);
    expect(h.logs.join('\n')).toContain('limit counters unavailable (redis)');
  });

  it('refuses with 503 overloaded when closed, and serves keys without limits', async () => {
    const caller = await limitedCaller(h, { key: { requests_per_minute: 100 } });
    const error = (await openaiChat(caller.clients(closed).openai)) as InstanceType<
      typeof OpenAI.APIError
    >;
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error.status).toBe(503);
    expect(error.headers?.get('x-to11-error-code')).toBe('overloaded');
    expect(error.message).toContain('rate limits cannot be checked');
    const unlimited = await limitedCaller(h, {});
    expect(await openaiChat(unlimited.clients(closed).openai)).toMatchObject({
      object: 'chat.completion',
    });
    const metrics = await (await fetch(`${closed}/metrics`)).text();
    expect(metrics).toMatch(/^to11_limit_state_errors_total\{on_redis_error="closed"\} [1-9]/m);
  });
});
