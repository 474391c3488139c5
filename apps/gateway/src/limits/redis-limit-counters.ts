/**
 * Limit counters in Redis, shared by every gateway process (SPEC §10 "Shared state"). The check
 * and the count of a request are one Lua script, so two processes cannot both take the last
 * request of a window; usage after a call is `INCRBY` with the window's expiry. Fixed windows,
 * one key per subject, metric and window start.
 *
 * On a Redis Cluster a script may only touch one slot. Counter keys carry their subject as a
 * hash tag (`counterKey`), so the counters of the API key and those of the project are two
 * slots: the script runs per subject, key first, and when the project refuses, the request
 * just counted for the key is taken back (a DECR script). Between the two, a concurrent request
 * of that key may see the extra count and be refused: a cluster can over-refuse for that
 * instant, never over-admit. Usage is added and read per subject too.
 */
import { Cluster } from 'ioredis';
import type { SharedRedis } from '../shared-state/redis.ts';
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

/** KEYS: counters whose request was counted by an admit that another subject refused. */
const TAKE_BACK_SCRIPT = `
for i = 1, #KEYS do
  if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then redis.call('DECR', KEYS[i]) end
end
return 0
`;

/** The hash tag of a key (`{…}`), or the whole key without one. */
function hashTagOf(key: string): string {
  const open = key.indexOf('{');
  const close = open === -1 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

/** Items grouped by the hash tag of their key, in first-seen order, with their indexes. */
function bySlot<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
): { item: T; index: number }[][] {
  const groups = new Map<string, { item: T; index: number }[]>();
  items.forEach((item, index) => {
    const tag = hashTagOf(keyOf(item));
    const group = groups.get(tag) ?? [];
    group.push({ item, index });
    groups.set(tag, group);
  });
  return [...groups.values()];
}

/**
 * Time to live of a counter, relative to the limit clock's now (not Redis's: the windows follow
 * the gateway's clock).
 */
function ttlMs(expiresAtMs: number, nowMs: number): number {
  return Math.max(1, expiresAtMs - nowMs) + EXPIRY_SLACK_MS;
}

interface LimitCommands {
  to11LimitAdmit(...args: (string | number)[]): Promise<number>;
  to11LimitTakeBack(...args: (string | number)[]): Promise<number>;
}

/** Counters in `redis` (the gateway's shared-state connection: one Redis or a cluster). */
export class RedisLimitCounters implements LimitCounters {
  readonly #redis: SharedRedis & LimitCommands;
  readonly #cluster: boolean;

  constructor(redis: SharedRedis) {
    if (!('to11LimitAdmit' in redis)) {
      redis.defineCommand('to11LimitAdmit', { lua: ADMIT_SCRIPT });
      redis.defineCommand('to11LimitTakeBack', { lua: TAKE_BACK_SCRIPT });
    }
    this.#redis = redis as SharedRedis & LimitCommands;
    this.#cluster = redis instanceof Cluster;
  }

  async #admitGroup(checks: readonly CounterCheck[], nowMs: number): Promise<number> {
    const args: (string | number)[] = [checks.length, ...checks.map((check) => check.key)];
    for (const check of checks) {
      args.push(check.limit, ttlMs(check.expiresAtMs, nowMs), check.countRequest ? 1 : 0);
    }
    return (await this.#redis.to11LimitAdmit(...args)) - 1;
  }

  async admit(checks: readonly CounterCheck[], nowMs: number): Promise<number> {
    if (checks.length === 0) return -1;
    if (!this.#cluster) return this.#admitGroup(checks, nowMs);
    const counted: string[] = [];
    for (const group of bySlot(checks, (check) => check.key)) {
      const refused = await this.#admitGroup(
        group.map(({ item }) => item),
        nowMs,
      );
      if (refused !== -1) {
        await this.#takeBack(counted);
        return group[refused]?.index ?? refused;
      }
      for (const { item } of group) if (item.countRequest) counted.push(item.key);
    }
    return -1;
  }

  async #takeBack(keys: readonly string[]): Promise<void> {
    for (const group of bySlot(keys, (key) => key)) {
      const slotKeys = group.map(({ item }) => item);
      await this.#redis.to11LimitTakeBack(slotKeys.length, ...slotKeys);
    }
  }

  async add(adds: readonly CounterAdd[], nowMs: number): Promise<void> {
    if (adds.length === 0) return;
    const groups = this.#cluster
      ? bySlot(adds, (add) => add.key)
      : [adds.map((item, index) => ({ item, index }))];
    await Promise.all(
      groups.map(async (group) => {
        const batch = this.#redis.multi();
        for (const { item } of group) {
          batch.incrby(item.key, Math.round(item.amount));
          batch.pexpire(item.key, ttlMs(item.expiresAtMs, nowMs));
        }
        const results = await batch.exec();
        const failed = results?.find(([error]) => error !== null)?.[0];
        if (failed) throw failed;
      }),
    );
  }

  async read(keys: readonly string[]): Promise<number[]> {
    if (keys.length === 0) return [];
    const values: number[] = new Array<number>(keys.length).fill(0);
    const groups = this.#cluster
      ? bySlot(keys, (key) => key)
      : [keys.map((item, index) => ({ item, index }))];
    for (const group of groups) {
      const read = await this.#redis.mget(...group.map(({ item }) => item));
      read.forEach((value, i) => {
        const at = group[i]?.index;
        if (at !== undefined) values[at] = Number(value ?? 0);
      });
    }
    return values;
  }
}
