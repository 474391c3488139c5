/**
 * Failed authentication, rate-limited per client address (issue "reliability and security"):
 * each address has a token bucket of `limit` failures that refills over `windowMs`. A failure
 * takes a token; an address with no token left is refused (429 with `Retry-After`) before its
 * credential is even looked at, until a token has refilled. Successful attempts take nothing,
 * so clients at other addresses, and a client that authenticates, are never slowed.
 *
 * In memory; at most `maxAddresses` addresses are tracked, the least recently failing forgotten
 * first. Alone it is per process; with shared state (`auth-failure-sharing.ts`, `REDIS_URL`)
 * every process also spends the tokens of the failures the others saw.
 */

/** Why an authentication failed (the `reason` label of `to11_auth_failures_total`). */
export type AuthFailureReason = 'missing' | 'malformed' | 'invalid';

/** How the limiter counts. */
export interface AuthFailureLimiterOptions {
  /** Failures an address may make in a burst; 0 turns the limiter off. */
  limit: number;
  /** Time in which a spent allowance refills completely. */
  windowMs: number;
  /** Addresses tracked at most (default 100,000). */
  maxAddresses?: number;
  now?: () => number;
}

/** A Prometheus metric family (the shape `@to11/forward`'s renderer and the gateway read). */
export interface AuthMetricFamily {
  type: 'counter';
  name: string;
  help: string;
  series: { labels: Record<string, string>; value: number }[];
}

const REASONS: readonly AuthFailureReason[] = ['missing', 'malformed', 'invalid'];

interface Bucket {
  tokens: number;
  at: number;
}

/** The per-address limiter of failed authentication. */
export class AuthFailureLimiter {
  readonly #limit: number;
  readonly #perMs: number;
  readonly #maxAddresses: number;
  readonly #now: () => number;
  readonly #buckets = new Map<string, Bucket>();
  readonly #failures = new Map<string, number>();
  #limited = 0;
  #observer: ((address: string) => void) | undefined;

  constructor(options: AuthFailureLimiterOptions) {
    this.#limit = options.limit;
    this.#perMs = options.limit / Math.max(options.windowMs, 1);
    this.#maxAddresses = options.maxAddresses ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Seconds `address` must wait before its next attempt is looked at (counted as rate limited),
   * or 0 when it may try now.
   */
  refuse(address: string, surface: string): number {
    if (this.#limit <= 0) return 0;
    const bucket = this.#refilled(address);
    if (bucket === undefined || bucket.tokens >= 1) return 0;
    this.#limited += 1;
    this.#failures.set(
      `limited\u0000${surface}`,
      (this.#failures.get(`limited\u0000${surface}`) ?? 0) + 1,
    );
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.#perMs / 1000));
  }

  /** Records a failed attempt of `address` on `surface` (gateway, otlp_http, otlp_grpc, …). */
  fail(address: string, surface: string, reason: AuthFailureReason): void {
    const key = `${reason}\u0000${surface}`;
    this.#failures.set(key, (this.#failures.get(key) ?? 0) + 1);
    if (this.#limit <= 0) return;
    this.#spend(address, 1);
    this.#observer?.(address);
  }

  /**
   * Spends `count` tokens of `address` for failures another process saw (shared state). They
   * limit the address here as local failures do, but count in no metric of this process.
   */
  spendShared(address: string, count: number): void {
    if (this.#limit <= 0 || !(count > 0)) return;
    this.#spend(address, count);
  }

  /** `observer` hears the address of every failure of this process (one observer). */
  observe(observer: ((address: string) => void) | undefined): void {
    this.#observer = observer;
  }

  #spend(address: string, count: number): void {
    const bucket = this.#refilled(address) ?? { tokens: this.#limit, at: this.#now() };
    bucket.tokens = Math.max(0, bucket.tokens - count);
    // Re-inserted last: the map's order is the order of the latest failures.
    this.#buckets.delete(address);
    this.#buckets.set(address, bucket);
    if (this.#buckets.size > this.#maxAddresses) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest !== undefined) this.#buckets.delete(oldest);
    }
  }

  /** Failures counted so far with `reason` on `surface`. */
  failures(reason: AuthFailureReason, surface: string): number {
    return this.#failures.get(`${reason}\u0000${surface}`) ?? 0;
  }

  /** Attempts refused because their address had failed too often. */
  get limited(): number {
    return this.#limited;
  }

  /** `to11_auth_failures_total{reason,surface}` and `to11_auth_rate_limited_total{surface}`. */
  metricFamilies(): AuthMetricFamily[] {
    const failures: AuthMetricFamily['series'] = [];
    const limited: AuthMetricFamily['series'] = [];
    for (const [key, value] of this.#failures) {
      const [reason = '', surface = ''] = key.split('\u0000');
      if (reason === 'limited') limited.push({ labels: { surface }, value });
      else if ((REASONS as string[]).includes(reason))
        failures.push({ labels: { reason, surface }, value });
    }
    return [
      {
        type: 'counter',
        name: 'to11_auth_failures_total',
        help: 'Failed authentications (missing, malformed or invalid credential), by reason and surface.',
        series: failures,
      },
      {
        type: 'counter',
        name: 'to11_auth_rate_limited_total',
        help: 'Attempts answered 429 because their client address failed authentication too often.',
        series: limited,
      },
    ];
  }

  /** The bucket of `address` refilled to now; a full bucket is forgotten (undefined). */
  #refilled(address: string): Bucket | undefined {
    const bucket = this.#buckets.get(address);
    if (bucket === undefined) return undefined;
    const now = this.#now();
    bucket.tokens = Math.min(this.#limit, bucket.tokens + (now - bucket.at) * this.#perMs);
    bucket.at = now;
    if (bucket.tokens >= this.#limit) {
      this.#buckets.delete(address);
      return undefined;
    }
    return bucket;
  }
}
