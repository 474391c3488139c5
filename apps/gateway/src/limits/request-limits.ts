/**
 * Rate limits and budgets per API key and per project (SPEC §10): before a GenAI call,
 * {@link RequestLimits.admit} checks every limit that applies and counts the request; after
 * each upstream attempt, the ticket it returns adds the attempt's tokens (input + output) and
 * USD (price table) to the counters.
 *
 * Tokens and USD are counted after the call, from its usage ("count after", no reservation):
 * a call is admitted while the window's total is below the cap, so the call that crosses it
 * completes and the next ones are refused until the window ends. Only the metrics a subject
 * has a limit on are counted, so a gateway without limits makes no counter calls at all.
 */
import {
  counterKey,
  LIMIT_METRICS,
  type LimitMetric,
  type LimitName,
  type LimitSettings,
  MICRO_USD,
  windowOf,
} from '@to11/store';
import { costOf } from '@to11/trace-core';
import type { Logger } from 'pino';
import type { LimitsConfig } from '../config-types.ts';
import { GatewayError } from '../errors.ts';
import type { GatewayMetrics } from '../telemetry/gateway-metrics.ts';
import { RateLimitedWarning } from '../telemetry/rate-limited-log.ts';
import type { Usage } from '../wire/types.ts';
import type { CounterAdd, CounterCheck, LimitCounters } from './limit-counters.ts';
import type { LimitSettingsCache } from './limit-settings-cache.ts';

/** One limit that applies to a request. */
interface AppliedLimit {
  name: LimitName;
  metric: LimitMetric;
  subjectId: string;
  /** The cap in counter units (micro-dollars for budgets). */
  cap: number;
}

/** What an admitted request settles after each attempt. */
export interface LimitTicket {
  /** Adds one attempt's usage of `models` (response model first) to the counters. */
  settle(usage: Usage | undefined, models: readonly (string | undefined)[]): void;
}

const NOTHING_TO_SETTLE: LimitTicket = { settle() {} };

/** Appends the limits of one subject to `into` (a loop: this runs on every call). */
function applied(
  into: AppliedLimit[],
  subject: 'key' | 'project',
  subjectId: string,
  settings: LimitSettings,
): AppliedLimit[] {
  for (const metric of LIMIT_METRICS) {
    const value = settings[metric];
    if (value === null) continue;
    const cap = metric.startsWith('usd_') ? Math.round(value * MICRO_USD) : value;
    into.push({ name: `${subject}.${metric}` as LimitName, metric, subjectId, cap });
  }
  return into;
}

/** The limits of one gateway. */
export class RequestLimits {
  readonly #stateWarning: RateLimitedWarning;

  constructor(
    private readonly deps: {
      config: LimitsConfig;
      settings: LimitSettingsCache;
      /** In Redis, a failure follows `on_redis_error`; in memory they do not fail. */
      counters: LimitCounters;
      keyPrefix: string;
      metrics: GatewayMetrics;
      logger: Logger;
      now: () => number;
    },
  ) {
    this.#stateWarning = new RateLimitedWarning(
      deps.logger,
      'limit counters unavailable (redis)',
      1_000,
    );
  }
  /** Puts a reloaded `[limits]` in force for the requests admitted from now on. */
  applyConfig(config: LimitsConfig): void {
    this.deps.config = config;
    this.deps.settings.setDefaults({ key: config.keyDefaults, project: config.projectDefaults });
  }

  /**
   * Admits a request of `keyId` in `projectId`, or throws 429 `rate_limit` naming the limit
   * (`x-to11-limit`, `Retry-After` = seconds to the window's end). `onRefused` sees the limit
   * name first (the span records it).
   */
  admit(
    keyId: string,
    projectId: string,
    onRefused: (name: LimitName) => void,
  ): Promise<LimitTicket> | LimitTicket {
    const now = this.deps.now();
    // Settings cached and no limit set (the common case): answered without a promise.
    const cached = this.deps.settings.cached(keyId, projectId, now);
    if (cached && noLimit(cached.key) && noLimit(cached.project)) return NOTHING_TO_SETTLE;
    return this.#admit(keyId, projectId, onRefused, now);
  }

  async #admit(
    keyId: string,
    projectId: string,
    onRefused: (name: LimitName) => void,
    now: number,
  ): Promise<LimitTicket> {
    const { deps } = this;
    const settings = await deps.settings.get(keyId, projectId, now);
    const limits = applied(
      applied([], 'key', keyId, settings.key),
      'project',
      projectId,
      settings.project,
    );
    if (limits.length === 0) return NOTHING_TO_SETTLE;
    const checks: CounterCheck[] = limits.map((limit) => ({
      key: counterKey(deps.keyPrefix, limit.subjectId, limit.metric, now),
      limit: limit.cap,
      expiresAtMs: windowOf(limit.metric, now).endMs,
      countRequest: limit.metric === 'requests_per_minute',
    }));
    let refused: number;
    try {
      refused = await deps.counters.admit(checks, now);
    } catch (error) {
      this.#stateFailed(error);
      if (deps.config.onRedisError === 'closed') {
        throw new GatewayError(
          'unavailable',
          'rate limits cannot be checked: the shared limit state (Redis) is unavailable; retry shortly',
        );
      }
      return this.#ticket(limits);
    }
    const limit = limits[refused];
    if (limit !== undefined) {
      deps.metrics.limitRefusals.inc({ limit: limit.name });
      onRefused(limit.name);
      throw refusal(limit, now, settingsValue(settings, limit));
    }
    return this.#ticket(limits);
  }

  #ticket(limits: AppliedLimit[]): LimitTicket {
    const counted = limits.filter((limit) => limit.metric !== 'requests_per_minute');
    if (counted.length === 0) return NOTHING_TO_SETTLE;
    return {
      settle: (usage, models) => {
        const tokens = (usage?.inputTokens ?? 0) + (usage?.outputTokens ?? 0);
        const usd = usage ? (costOf(models, usage) ?? 0) : 0;
        const now = this.deps.now();
        const adds: CounterAdd[] = counted.flatMap((limit) => {
          const amount =
            limit.metric === 'tokens_per_minute' ? tokens : Math.round(usd * MICRO_USD);
          if (amount <= 0) return [];
          const key = counterKey(this.deps.keyPrefix, limit.subjectId, limit.metric, now);
          return [{ key, amount, expiresAtMs: windowOf(limit.metric, now).endMs }];
        });
        if (adds.length === 0) return;
        this.deps.counters.add(adds, now).catch((error: unknown) => this.#stateFailed(error));
      },
    };
  }

  #stateFailed(error: unknown): void {
    const mode = this.deps.config.onRedisError;
    this.deps.metrics.limitStateErrors.inc({ on_redis_error: mode });
    const message = error instanceof Error ? error.message : String(error);
    this.#stateWarning.hit({ err: { message }, onRedisError: mode });
  }
}

function noLimit(settings: LimitSettings): boolean {
  for (const metric of LIMIT_METRICS) if (settings[metric] !== null) return false;
  return true;
}

function settingsValue(
  settings: { key: LimitSettings; project: LimitSettings },
  limit: AppliedLimit,
): number {
  const subject = limit.name.startsWith('key.') ? settings.key : settings.project;
  return subject[limit.metric] ?? 0;
}

const UNIT: Record<LimitMetric, string> = {
  requests_per_minute: 'requests per minute',
  tokens_per_minute: 'tokens per minute',
  usd_per_day: 'USD per day (UTC)',
  usd_per_month: 'USD per month (UTC)',
};

/** The 429 of a refused limit: gateway-made, never the provider's (no upstream header). */
function refusal(limit: AppliedLimit, nowMs: number, value: number): GatewayError {
  const retryAfter = Math.max(1, Math.ceil((windowOf(limit.metric, nowMs).endMs - nowMs) / 1000));
  return new GatewayError(
    'rate_limit',
    `to11 gateway limit ${limit.name} reached (${value} ${UNIT[limit.metric]}); retry in ${retryAfter} s`,
    { headers: { 'x-to11-limit': limit.name, 'retry-after': String(retryAfter) } },
  );
}
