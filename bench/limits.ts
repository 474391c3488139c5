/**
 * Limit-check benchmark (issue 17): CPU time the rate-limit and budget check adds to one
 * request, in memory and in Redis, beside a baseline of the same run: the check of a request
 * whose key and project have no limits (settings looked up, no counter touched: what every
 * request without limits pays). Each request is what the gateway does around an upstream
 * call: `admit` (settings from the 5 s cache, then the window counters: requests, tokens,
 * USD per day and month, for the key and the project) and `settle` of its usage (tokens and
 * price-table USD). Requests run one after another; the process's CPU time (user + system,
 * `process.cpuUsage`) and the wall time per request are the median of the rounds. Needs Redis
 * on 127.0.0.1:6379 (or `REDIS_URL`); its keys use a fresh prefix and are deleted at the end.
 *
 *   pnpm exec tsx limits.ts [requests=5000] [rounds=5]
 */
import { randomBytes } from 'node:crypto';
import { type LimitSettings, NO_LIMITS } from '@to11/store';
import { closeRedis, openRedis, redisReady } from '@to11/store/redis';
import { openTestStore } from '@to11/store/testing';
import { pino } from 'pino';
import { MemoryLimitCounters } from '../apps/gateway/src/limits/limit-counters.ts';
import { LimitSettingsCache } from '../apps/gateway/src/limits/limit-settings-cache.ts';
import { RedisLimitCounters } from '../apps/gateway/src/limits/redis-limit-counters.ts';
import { RequestLimits } from '../apps/gateway/src/limits/request-limits.ts';
import { GatewayMetrics } from '../apps/gateway/src/telemetry/gateway-metrics.ts';

const REQUESTS = Number(process.argv[2] ?? 5_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Every limit on, caps far above what the bench uses (nothing is refused). */
const ALL_LIMITS: LimitSettings = {
  requests_per_minute: 1e12,
  tokens_per_minute: 1e12,
  usd_per_day: 1e9,
  usd_per_month: 1e9,
};

const logger = pino({ level: 'silent' });
const test = await openTestStore('pglite');
const redis = openRedis(REDIS_URL, logger);
if (!(await redisReady(redis, 5_000))) throw new Error(`Redis at ${REDIS_URL} is not reachable`);
const prefix = `to11-bench:limits:${randomBytes(4).toString('hex')}:`;

function limitsWith(defaults: LimitSettings, counters: 'memory' | 'redis'): RequestLimits {
  return new RequestLimits({
    config: { onRedisError: 'open', keyDefaults: defaults, projectDefaults: defaults },
    settings: new LimitSettingsCache(test.store, { key: defaults, project: defaults }),
    counters: counters === 'redis' ? new RedisLimitCounters(redis) : new MemoryLimitCounters(),
    keyPrefix: prefix,
    metrics: new GatewayMetrics(() => 0),
    logger,
    now: Date.now,
  });
}

const usage = { inputTokens: 1_200, outputTokens: 300 };
const models = ['gpt-4o-2024-08-06', 'gpt-4o'];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Median CPU µs and wall µs per request of `limits`. */
async function measure(limits: RequestLimits): Promise<{ cpuUs: number; wallUs: number }> {
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let round = 0; round < ROUNDS + 1; round += 1) {
    const startCpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let i = 0; i < REQUESTS; i += 1) {
      const ticket = await limits.admit('key_bench', 'prj_bench', () => undefined);
      ticket.settle(usage, models);
    }
    // Counter writes of `settle` are not awaited by the request: let them land in the round.
    await redis.ping();
    const used = process.cpuUsage(startCpu);
    if (round === 0) continue; // the first round warms the JIT and the settings cache up
    cpu.push((used.user + used.system) / REQUESTS);
    wall.push(Number(process.hrtime.bigint() - start) / 1_000 / REQUESTS);
  }
  return { cpuUs: median(cpu), wallUs: median(wall) };
}

const cases: { name: string; limits: RequestLimits }[] = [
  { name: 'baseline: no limits (settings lookup only)', limits: limitsWith(NO_LIMITS, 'memory') },
  { name: 'all 8 limits, in-memory counters', limits: limitsWith(ALL_LIMITS, 'memory') },
  { name: 'all 8 limits, Redis counters', limits: limitsWith(ALL_LIMITS, 'redis') },
];

console.log(`limits: ${REQUESTS} sequential requests per case, ${ROUNDS} rounds (median)`);
const results: { name: string; cpuUs: number; wallUs: number }[] = [];
for (const c of cases) results.push({ name: c.name, ...(await measure(c.limits)) });
const baseline = results[0] as { cpuUs: number; wallUs: number };
for (const { name, cpuUs, wallUs } of results) {
  const added = cpuUs - baseline.cpuUs;
  console.log(
    `  ${name.padEnd(44)} cpu ${cpuUs.toFixed(1).padStart(7)} µs/req  added ${added.toFixed(1).padStart(6)} µs  ` +
      `(${(cpuUs / baseline.cpuUs).toFixed(1)}x)  wall ${wallUs.toFixed(1).padStart(7)} µs/req`,
  );
}

const keys = await redis.keys(`${prefix}*`);
if (keys.length > 0) await redis.del(...keys);
await closeRedis(redis);
await test.close();
