/**
 * Rate limits and budgets on one gateway process (SPEC §10): stored per key and per project or
 * defaulted by `[limits]` in to11.toml, refused with 429 `rate_limit` in the caller's SDK
 * envelope with `x-to11-limit` and `Retry-After`, never forwarded, on the HTTP span and in
 * /metrics; a new window admits again.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { testEngines } from '@to11/store/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, traceIdOf } from './harness.ts';
import { frozenClock, limitedCaller, openaiChat, storedSpans } from './limits-helpers.ts';

const MINUTE_MS = 60_000;

describe.each(testEngines())('limits on one gateway (%s)', (engine) => {
  let h: Harness;
  const clock = frozenClock();
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'to11-limits-'));
    const config = join(dir, 'to11.toml');
    // Every key defaults to 20 tokens per minute; the admin API's stored limits win.
    writeFileSync(config, '[limits.key]\ntokens_per_minute = 20\n');
    h = await startHarness(engine, { TO11_CONFIG: config }, { limitClock: clock.read });
  });
  afterAll(async () => {
    await h.close();
  });

  const upstreamCalls = () => h.fake.requests.length;

  it('refuses the third request of a 2-per-minute key in the OpenAI envelope, and admits again next minute', async () => {
    const caller = await limitedCaller(h, {
      key: { requests_per_minute: 2, tokens_per_minute: 1000 },
    });
    const { openai } = caller.clients(h.gateway.url);
    expect(await openaiChat(openai)).toMatchObject({ object: 'chat.completion' });
    expect(await openaiChat(openai)).toMatchObject({ object: 'chat.completion' });
    const before = upstreamCalls();
    const error = await openaiChat(openai);
    expect(upstreamCalls()).toBe(before);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const refused = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(refused.status).toBe(429);
    expect(refused.headers?.get('x-to11-error-code')).toBe('rate_limit');
    expect(refused.headers?.get('x-to11-limit')).toBe('key.requests_per_minute');
    expect(refused.headers?.get('retry-after')).toBe('30');
    // Gateway-made: no upstream named, and the body says it is the gateway's limit.
    expect(refused.headers?.get('x-to11-upstream-provider')).toBeNull();
    expect(refused.code).toBe('rate_limit');
    expect(refused.type).toBe('rate_limit_error');
    expect(refused.message).toContain(
      'to11 gateway limit key.requests_per_minute reached (2 requests per minute)',
    );

    const spans = await storedSpans(
      h,
      caller.projectId,
      traceIdOf(refused.headers?.get('traceparent')),
    );
    expect(spans).toHaveLength(1);
    expect(spans[0]?.attributes).toMatchObject({
      'gateway.limit.name': 'key.requests_per_minute',
      'error.type': 'rate_limit',
      'http.response.status_code': 429,
    });
    const metrics = await (await fetch(`${h.gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/^to11_limit_refusals_total\{limit="key.requests_per_minute"\} [1-9]/m);

    clock.now += MINUTE_MS;
    expect(await openaiChat(openai)).toMatchObject({ object: 'chat.completion' });
  });

  it('refuses in the Anthropic envelope once a project has used its requests', async () => {
    const caller = await limitedCaller(h, {
      key: { tokens_per_minute: 1_000_000 },
      project: { requests_per_minute: 1 },
    });
    const { anthropic } = caller.clients(h.gateway.url);
    const call = () =>
      anthropic.messages
        .create({
          model: 'claude-sonnet-4-6',
          max_tokens: 5,
          messages: [{ role: 'user', content: 'hi' }],
        })
        .catch((e: unknown) => e);
    expect(await call()).toMatchObject({ type: 'message' });
    const error = await call();
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    const refused = error as InstanceType<typeof Anthropic.RateLimitError>;
    expect(refused.headers?.get('x-to11-limit')).toBe('project.requests_per_minute');
    expect(refused.error).toMatchObject({
      type: 'error',
      error: { type: 'rate_limit_error', message: expect.stringContaining('to11 gateway limit') },
    });
  });

  it('counts tokens after each call, streams included, under the to11.toml default', async () => {
    // 15 tokens a call (12 in + 3 out): admitted while below 20, so the second call crosses it.
    const caller = await limitedCaller(h, {});
    const { openai } = caller.clients(h.gateway.url);
    expect(await openaiChat(openai)).toMatchObject({ object: 'chat.completion' });
    expect(await openaiChat(openai, true)).toBe('streamed');
    const error = (await openaiChat(openai)) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.headers?.get('x-to11-limit')).toBe('key.tokens_per_minute');
    clock.now += MINUTE_MS;
    expect(await openaiChat(openai)).toMatchObject({ object: 'chat.completion' });
  });

  it('keeps a project within its USD per day, priced from the price table, until the next UTC day', async () => {
    // gpt-4o: 8 input + 4 cached input + 3 output tokens = 55 micro-dollars a call.
    const caller = await limitedCaller(h, {
      key: { tokens_per_minute: 1_000_000 },
      project: { usd_per_day: 0.0001 },
    });
    const { openai } = caller.clients(h.gateway.url);
    expect(await openaiChat(openai)).toMatchObject({ object: 'chat.completion' });
    expect(await openaiChat(openai)).toMatchObject({ object: 'chat.completion' });
    const error = (await openaiChat(openai)) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.headers?.get('x-to11-limit')).toBe('project.usd_per_day');
    const dayEnd = Date.UTC(2026, 0, 16);
    const retryAfter = Number(error.headers?.get('retry-after'));
    const startOfDay = new Date(clock.now);
    startOfDay.setUTCHours(24, 0, 0, 0);
    expect(retryAfter).toBe(Math.ceil((startOfDay.getTime() - clock.now) / 1000));
    expect(startOfDay.getTime()).toBeGreaterThanOrEqual(dayEnd);
    clock.now = startOfDay.getTime() + 30_000;
    expect(await openaiChat(openai)).toMatchObject({ object: 'chat.completion' });
  });
});
