/**
 * Where limit counters live: in this process, or in Redis when `REDIS_URL` is set (then every
 * gateway process shares them, `redis-limit-counters.ts`). Each counter is a number under a
 * window key (`@to11/store` `counterKey`) that expires after its window.
 */

/** One counter to check before a call. */
export interface CounterCheck {
  key: string;
  /** The cap in the counter's unit (micro-dollars for budgets). */
  limit: number;
  /** When the counter may be forgotten (its window's end, ms since the epoch). */
  expiresAtMs: number;
  /**
   * Count this request (requests per minute: refused once the next one would pass the cap);
   * otherwise only check that the counted total is still below the cap (tokens and USD, which
   * are known only after the call).
   */
  countRequest: boolean;
}

/** One amount to add after a call. */
export interface CounterAdd {
  key: string;
  amount: number;
  expiresAtMs: number;
}

/** A counter store. Every method rejects when the store (Redis) does not answer. */
export interface LimitCounters {
  /**
   * Checks every counter, all or nothing: resolves the index of the first one that refuses
   * (nothing is counted then), or -1 after counting the request in each `countRequest` one.
   */
  admit(checks: readonly CounterCheck[], nowMs: number): Promise<number>;
  add(adds: readonly CounterAdd[], nowMs: number): Promise<void>;
  /** Current values (0 for a counter never written or expired). */
  read(keys: readonly string[], nowMs: number): Promise<number[]>;
}

/** Most counters kept in memory; past it the expired ones are swept, then the oldest dropped. */
const MAX_COUNTERS = 100_000;

/** Counters of this process only (no `REDIS_URL`). */
export class MemoryLimitCounters implements LimitCounters {
  readonly #counters = new Map<string, { value: number; expiresAtMs: number }>();

  #value(key: string, nowMs: number): number {
    const counter = this.#counters.get(key);
    if (counter === undefined) return 0;
    if (counter.expiresAtMs <= nowMs) {
      this.#counters.delete(key);
      return 0;
    }
    return counter.value;
  }

  #add(key: string, amount: number, expiresAtMs: number, nowMs: number): void {
    const value = this.#value(key, nowMs) + amount;
    if (!this.#counters.has(key) && this.#counters.size >= MAX_COUNTERS) this.#sweep(nowMs);
    this.#counters.set(key, { value, expiresAtMs });
  }

  #sweep(nowMs: number): void {
    for (const [key, counter] of this.#counters) {
      if (counter.expiresAtMs <= nowMs) this.#counters.delete(key);
    }
    const oldest = this.#counters.keys().next();
    if (this.#counters.size >= MAX_COUNTERS && oldest.done !== true) {
      this.#counters.delete(oldest.value);
    }
  }

  async admit(checks: readonly CounterCheck[], nowMs: number): Promise<number> {
    const refused = checks.findIndex((check) => {
      const value = this.#value(check.key, nowMs);
      return check.countRequest ? value + 1 > check.limit : value >= check.limit;
    });
    if (refused !== -1) return refused;
    for (const check of checks) {
      if (check.countRequest) this.#add(check.key, 1, check.expiresAtMs, nowMs);
    }
    return -1;
  }

  async add(adds: readonly CounterAdd[], nowMs: number): Promise<void> {
    for (const add of adds) this.#add(add.key, add.amount, add.expiresAtMs, nowMs);
  }

  async read(keys: readonly string[], nowMs: number): Promise<number[]> {
    return keys.map((key) => this.#value(key, nowMs));
  }
}
