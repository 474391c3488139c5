import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../config.ts';
import { closeRedis, openRedis, redisReady } from './redis.ts';

const logger = pino({ level: 'silent' });

describe('REDIS_URL', () => {
  it('is read into the config, and refused when it is not a redis URL', () => {
    expect(loadGatewayConfig({ REDIS_URL: 'redis://127.0.0.1:6379/0' }).redis).toEqual({
      kind: 'single',
      url: 'redis://127.0.0.1:6379/0',
    });
    expect(loadGatewayConfig({}).redis).toBeUndefined();
    expect(() => loadGatewayConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(
      /REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/,
    );
  });
});

describe('REDIS_CLUSTER_NODES', () => {
  it.each([
    ['127.0.0.1:7000,127.0.0.1:7001', ['redis://127.0.0.1:7000', 'redis://127.0.0.1:7001']],
    [
      ' redis://:pw@10.0.0.1:6379 , 10.0.0.2:6379',
      ['redis://:pw@10.0.0.1:6379', 'redis://10.0.0.2:6379'],
    ],
    ['rediss://10.0.0.1:6380', ['rediss://10.0.0.1:6380']],
  ])('reads %s as cluster seed nodes', (value, nodes) => {
    expect(loadGatewayConfig({ REDIS_CLUSTER_NODES: value }).redis).toEqual({
      kind: 'cluster',
      nodes,
    });
  });

  it.each([
    [{ REDIS_CLUSTER_NODES: '127.0.0.1' }, /REDIS_CLUSTER_NODES: must be comma-separated/],
    [
      { REDIS_CLUSTER_NODES: 'http://127.0.0.1:7000' },
      /REDIS_CLUSTER_NODES: must be comma-separated/,
    ],
    [
      { REDIS_CLUSTER_NODES: '127.0.0.1:7000', REDIS_URL: 'redis://127.0.0.1:6379' },
      /REDIS_CLUSTER_NODES: set REDIS_URL or REDIS_CLUSTER_NODES, not both/,
    ],
  ])('refuses %o', (env, message) => {
    expect(() => loadGatewayConfig(env)).toThrow(message);
  });
});

describe('openRedis', () => {
  it('talks to the Redis of this machine', async () => {
    const redis = openRedis('redis://127.0.0.1:6379', logger);
    const key = `to11-test:${process.pid}:${Date.now()}`;
    try {
      expect(await redisReady(redis, 5_000)).toBe(true);
      await redis.set(key, 'v', 'EX', 10);
      expect(await redis.get(key)).toBe('v');
    } finally {
      await redis.del(key);
      await closeRedis(redis);
    }
  });

  it('fails commands at once while Redis is unreachable, instead of queueing them', async () => {
    const redis = openRedis('redis://127.0.0.1:1', logger);
    try {
      expect(await redisReady(redis, 300)).toBe(false);
      await expect(redis.get('any')).rejects.toThrow();
    } finally {
      await closeRedis(redis);
    }
  });
});
