/**
 * Failed authentications shared through a real Redis (127.0.0.1:6379, a random channel prefix
 * per test): two limiters stand for two processes.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthFailureLimiter } from './auth-failure-limiter.ts';
import { authFailureChannel, shareAuthFailures } from './auth-failure-sharing.ts';
import { closeRedis, openRedis, redisReady, type SharedRedis } from './redis.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const logger = pino({ level: 'silent' });

describe('shareAuthFailures', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function startProcess(prefix: string): Promise<AuthFailureLimiter> {
    const redis: SharedRedis = openRedis(REDIS_URL, logger);
    expect(await redisReady(redis, 2_000)).toBe(true);
    const limiter = new AuthFailureLimiter({ limit: 3, windowMs: 60_000 });
    const stop = shareAuthFailures(limiter, redis, prefix, logger);
    cleanups.push(async () => {
      stop();
      await closeRedis(redis);
    });
    return limiter;
  }

  async function eventually(check: () => boolean): Promise<void> {
    const deadline = Date.now() + 3_000;
    while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  }

  it("spends another process's failures, not its own twice, and keeps metrics per process", async () => {
    const prefix = `to11-test:${randomBytes(4).toString('hex')}:`;
    const a = await startProcess(prefix);
    const b = await startProcess(prefix);
    // Let both subscriptions settle before the first message.
    await new Promise((r) => setTimeout(r, 200));

    a.fail('10.0.0.1', 'gateway', 'invalid');
    a.fail('10.0.0.1', 'gateway', 'invalid');
    b.fail('10.0.0.1', 'otlp_http', 'missing');
    await eventually(() => a.refuse('10.0.0.1', 'gateway') > 0);

    // 3 failures in all: both refuse the address; a process's own failures were spent once
    // (a's two alone would leave it one try).
    expect(a.refuse('10.0.0.1', 'gateway')).toBeGreaterThan(0);
    expect(b.refuse('10.0.0.1', 'otlp_http')).toBeGreaterThan(0);
    expect(a.refuse('10.0.0.2', 'gateway')).toBe(0);
    expect(a.failures('invalid', 'gateway')).toBe(2);
    expect(a.failures('missing', 'otlp_http')).toBe(0);
    expect(b.failures('missing', 'otlp_http')).toBe(1);
  });

  it('does not spend its own published failures again', async () => {
    const prefix = `to11-test:${randomBytes(4).toString('hex')}:`;
    const a = await startProcess(prefix);
    const heard: string[] = [];
    const subscriber = new Redis(REDIS_URL);
    cleanups.push(async () => subscriber.disconnect());
    await subscriber.subscribe(authFailureChannel(prefix));
    subscriber.on('message', (_channel: string, text: string) => heard.push(text));

    a.fail('10.0.0.1', 'gateway', 'invalid');
    a.fail('10.0.0.1', 'gateway', 'invalid');
    await eventually(() => heard.length > 0);
    await new Promise((r) => setTimeout(r, 100));
    // Two failures of one turn in one message; the address still has its third try.
    expect(heard).toHaveLength(1);
    expect(JSON.parse(heard[0] ?? '{}').failures).toEqual([['10.0.0.1', 2]]);
    expect(a.refuse('10.0.0.1', 'gateway')).toBe(0);
  });

  it('ignores malformed messages and entries', async () => {
    const prefix = `to11-test:${randomBytes(4).toString('hex')}:`;
    const a = await startProcess(prefix);
    await new Promise((r) => setTimeout(r, 200));
    const publisher = new Redis(REDIS_URL);
    cleanups.push(async () => publisher.disconnect());
    const channel = authFailureChannel(prefix);
    await publisher.publish(channel, 'not json');
    await publisher.publish(channel, JSON.stringify({ from: 'x', failures: 'all' }));
    await publisher.publish(
      channel,
      JSON.stringify({
        from: 'x',
        failures: [['10.0.0.9', 'many'], [42, 5], ['10.0.0.9', Number.NaN], 'junk'],
      }),
    );
    await publisher.publish(channel, JSON.stringify({ from: 'x', failures: [['10.0.0.8', 3]] }));
    await eventually(() => a.refuse('10.0.0.8', 'gateway') > 0);
    expect(a.refuse('10.0.0.8', 'gateway')).toBeGreaterThan(0);
    expect(a.refuse('10.0.0.9', 'gateway')).toBe(0);
  });
});
