/**
 * Model resolution and attempt planning (SPEC §4 "Routing", reference §8). A model resolves to
 * a route (`route::name`, or a route listing it for this endpoint kind) or to a provider
 * (`provider::model`, a model listed for a provider, the built-in patterns). A passthrough call
 * is one attempt. A route's attempts follow its strategy: `single` retries its target,
 * `weighted` re-picks by weight without the targets that failed, `fallback` retries each
 * target, then moves down the chain. Retries happen on connect errors, timeouts, 429 and 5xx,
 * with exponential backoff and jitter, honouring `retry-after`.
 */

import type { EndpointKind } from '@to11/config';
import {
  ATTR_GATEWAY_ATTEMPT,
  ATTR_GATEWAY_FALLBACK_INDEX,
  ATTR_GATEWAY_ROUTE_NAME,
  ATTR_GATEWAY_ROUTING_LAYER,
  ATTR_GATEWAY_ROUTING_STRATEGY,
  ATTR_GATEWAY_TARGET_NAME,
  type Attributes,
} from '@to11/trace-core';
import type {
  GatewayConfig,
  ProviderSettings,
  RetryPolicy,
  RouteSettings,
  TargetSettings,
} from '../config-types.ts';
import type { Secret } from '../secret.ts';
import { resolvePassthrough, splitModelPrefix } from './provider-for-model.ts';

/** One upstream attempt. */
export interface PlannedAttempt {
  provider: ProviderSettings;
  /** Model sent upstream. */
  model: string;
  credential: Secret | null;
  timeoutMs: number;
  /** `gateway.*` routing attributes of the attempt's GenAI span. */
  routing: Attributes;
}

/** What the previous attempt's failure allows. */
export interface AttemptFailure {
  retryable: boolean;
  retryAfterMs?: number | undefined;
}

/** Longest `retry-after` the gateway waits for; a longer one ends the retries. */
const MAX_RETRY_WAIT_MS = 10_000;

function timeoutFor(
  config: GatewayConfig,
  provider: ProviderSettings,
  model: string,
  target?: TargetSettings,
): number {
  return (
    target?.timeoutMs ??
    config.modelTimeouts[model] ??
    provider.timeoutMs ??
    config.defaultTimeoutMs
  );
}

/** The attempts of one request. */
export class RoutePlan {
  #attempt = 0;
  #retriesLeft = 0;
  #chainIndex = 0;
  #current: TargetSettings | null = null;
  readonly #excluded = new Set<string>();

  private constructor(
    private readonly config: GatewayConfig,
    private readonly route: RouteSettings | null,
    private readonly passthrough: { provider: ProviderSettings; model: string } | null,
  ) {}

  /** The plan for a model on an endpoint kind; null when nothing serves it (404). */
  static resolve(model: string, kind: EndpointKind, config: GatewayConfig): RoutePlan | null {
    const split = splitModelPrefix(model);
    if (split?.prefix === 'route') {
      const route = config.routes.find((candidate) => candidate.name === split.rest);
      return route ? new RoutePlan(config, route, null) : null;
    }
    if (split?.prefix === 'function') return null;
    if (!split) {
      const route = config.routes.find(
        (candidate) =>
          (candidate.endpoint === null || candidate.endpoint === kind) &&
          candidate.models.includes(model),
      );
      if (route) return new RoutePlan(config, route, null);
    }
    const resolved = resolvePassthrough(model, config.providers);
    return resolved ? new RoutePlan(config, null, resolved) : null;
  }

  /** The retry policy in force (none for passthrough). */
  get retry(): RetryPolicy | null {
    return this.route?.retry ?? null;
  }

  /** The next attempt and how long to wait before it; null when the request is done. */
  next(previous?: AttemptFailure): { attempt: PlannedAttempt; delayMs: number } | null {
    if (previous && !previous.retryable) return null;
    if (this.passthrough)
      return this.#attempt === 0 ? this.#passthroughAttempt(this.passthrough) : null;
    const route = this.route;
    if (!route) return null;
    if (this.#attempt > 0 && (previous?.retryAfterMs ?? 0) > MAX_RETRY_WAIT_MS) return null;
    const target = this.#pickTarget(route);
    if (!target) return null;
    const retryIndex = route.retry.maxRetries - this.#retriesLeft;
    const backoff =
      this.#attempt === 0 || retryIndex === 0
        ? 0
        : route.retry.backoffBaseMs * 2 ** (retryIndex - 1);
    const jittered = backoff * (0.75 + Math.random() * 0.5);
    const delayMs = Math.min(MAX_RETRY_WAIT_MS, Math.max(jittered, previous?.retryAfterMs ?? 0));
    this.#attempt += 1;
    const provider = this.config.providers.find((candidate) => candidate.id === target.providerId);
    if (!provider) return null;
    const routing: Attributes = {
      [ATTR_GATEWAY_ROUTING_LAYER]: 'route',
      [ATTR_GATEWAY_ROUTE_NAME]: route.name,
      [ATTR_GATEWAY_ROUTING_STRATEGY]: route.strategy,
      [ATTR_GATEWAY_TARGET_NAME]: target.name,
      [ATTR_GATEWAY_ATTEMPT]: this.#attempt,
      [ATTR_GATEWAY_FALLBACK_INDEX]: route.strategy === 'fallback' ? this.#chainIndex : 0,
    };
    return {
      attempt: {
        provider,
        model: target.model,
        credential: target.credential ?? provider.credential,
        timeoutMs: timeoutFor(this.config, provider, target.model, target),
        routing,
      },
      delayMs: this.#attempt === 1 ? 0 : delayMs,
    };
  }

  #passthroughAttempt(resolved: { provider: ProviderSettings; model: string }) {
    this.#attempt = 1;
    const { provider, model } = resolved;
    return {
      attempt: {
        provider,
        model,
        credential: provider.credential,
        timeoutMs: timeoutFor(this.config, provider, model),
        routing: { [ATTR_GATEWAY_ROUTING_LAYER]: 'provider', [ATTR_GATEWAY_ATTEMPT]: 1 },
      },
      delayMs: 0,
    };
  }

  /** The target of the next attempt, consuming retries and fallback steps. */
  #pickTarget(route: RouteSettings): TargetSettings | null {
    const targets = this.config.targets;
    if (this.#current === null) {
      this.#retriesLeft = route.retry.maxRetries;
      this.#current = this.#choose(route);
      return this.#current;
    }
    if (route.strategy === 'fallback') {
      if (this.#retriesLeft > 0) {
        this.#retriesLeft -= 1;
        return this.#current;
      }
      this.#chainIndex += 1;
      const name = route.targets[this.#chainIndex];
      this.#current = name ? (targets[name] ?? null) : null;
      this.#retriesLeft = route.retry.maxRetries;
      return this.#current;
    }
    if (this.#retriesLeft <= 0) return null;
    this.#retriesLeft -= 1;
    if (route.strategy === 'weighted') {
      this.#excluded.add(this.#current.name);
      this.#current = this.#choose(route);
    }
    return this.#current;
  }

  #choose(route: RouteSettings): TargetSettings | null {
    const targets = this.config.targets;
    if (route.strategy !== 'weighted') return targets[route.targets[0] ?? ''] ?? null;
    let pool = route.targets.filter((name) => !this.#excluded.has(name));
    if (pool.length === 0) {
      this.#excluded.clear();
      pool = route.targets;
    }
    const weighted = pool
      .map((name) => targets[name])
      .filter((t): t is TargetSettings => Boolean(t));
    const total = weighted.reduce((sum, target) => sum + target.weight, 0);
    if (total <= 0) return weighted[0] ?? null;
    let roll = Math.random() * total;
    for (const target of weighted) {
      roll -= target.weight;
      if (roll < 0) return target;
    }
    return weighted[weighted.length - 1] ?? null;
  }
}
