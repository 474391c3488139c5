/**
 * Limit counters in Redis, shared by every gateway process (SPEC §10 "Shared state"). The check
 * and the count of a request are one Lua script, so two processes cannot both take the last
 * request of a window; usage after a call is `INCRBY` with the window's expiry. Fixed windows,
 * one key per subject, metric and window start. (The keys of one request are not in one hash
 * slot: a Redis Cluster would need `{subject}` hash tags; one Redis or a replica set is assumed.)
 */
import type { Redis } from 'ioredis';
import type { CounterAdd, CounterCheck, LimitCounters } from './limit-counters.ts';

/** Counters are kept a minute past their window, so a late reader still sees the total. */
const EXPIRY_SLACK_MS = 60_000;

/**
 * KEYS: the counters. ARGV: per key `limit, ttlMs, countRequest (1|0)`. Returns the
 * 1-based index of the first refusing counter, or 0 after counting.
 */
const ADMIT_SCRIPT = `
for i = 1, #KEYS do
  local limit = tonumber(ARGV[(i - 1) * 3 + 1])
  local count = ARGV[(i - 1) * 3 + 3] == '1'
  local current = tonumber(redis.call('GET', KEYS[i]) or '0')
  if (count and current + 1 > limit) or ((not count) and current >= limit) then
    return i
  end
end
for i = 1, #KEYS do
  if ARGV[(i - 1) * 3 + 3] == '1' then
    redis.call('INCR', KEYS[i])
    redis.call('PEXPIRE', KEYS[i], ARGV[(i - 1) * 3 + 2])
  end
end
return 0
`;

/**
 * Time to live of a counter, relative to the limit clock's now (not Redis's: the windows follow
 * the gateway's clock).
 */
function ttlMs(expiresAtMs: number, nowMs: number): number {
  return Math.max(1, expiresAtMs - nowMs) + EXPIRY_SLACK_MS;
}

interface AdmitCommand {
  to11LimitAdmit(...args: (string | number)[]): Promise<number>;
}

/** Counters in `redis` (the gateway's shared-state connection). */
export class RedisLimitCounters implements LimitCounters {
  readonly #redis: Redis & AdmitCommand;

  constructor(redis: Redis) {
    if (!('to11LimitAdmit' in redis)) {
      redis.defineCommand('to11LimitAdmit', { lua: ADMIT_SCRIPT });
    }
    this.#redis = redis as Redis & AdmitCommand;
  }

  async admit(checks: readonly CounterCheck[], nowMs: number): Promise<number> {
    if (checks.length === 0) return -1;
    const args: (string | number)[] = [checks.length, ...checks.map((check) => check.key)];
    for (const check of checks) {
      args.push(check.limit, ttlMs(check.expiresAtMs, nowMs), check.countRequest ? 1 : 0);
    }
    const refused = await this.#redis.to11LimitAdmit(...args);
    return refused - 1;
  }

  async add(adds: readonly CounterAdd[], nowMs: number): Promise<void> {
    if (adds.length === 0) return;
    const batch = this.#redis.multi();
    for (const add of adds) {
      batch.incrby(add.key, Math.round(add.amount));
      batch.pexpire(add.key, ttlMs(add.expiresAtMs, nowMs));
    }
    const results = await batch.exec();
    const failed = results?.find(([error]) => error !== null)?.[0];
    if (failed) throw failed;
  }

  async read(keys: readonly string[]): Promise<number[]> {
    if (keys.length === 0) return [];
    const values = await this.#redis.mget(...keys);
    return values.map((value) => Number(value ?? 0));
  }
}
