/**
 * Model resolution and attempt planning (SPEC §4 "Routing", reference §8.1–§8.4). A model
 * resolves, in the routing of the request's environment, to a function (`function::name`, or
 * a function of that name: L3 shadows the layers below), a route (`route::name`, or a route
 * listing it for this endpoint kind) or a provider (`provider::model`, a model listed for a
 * provider, the built-in patterns). A passthrough call is one attempt.
 *
 * A route's steps run as a fallback chain. Within a step: `single` retries its target,
 * `weighted` and `experiment` re-pick by weight without the targets that failed (the exclusion
 * set resets once every target is excluded), `fallback` retries each target, then moves down
 * the list. After a chain (a `fallback` step or several steps) has failed entirely, the first
 * target gets one more try (degraded mode, reference §8.2). Retries happen on connect errors,
 * timeouts, 429 and 5xx, with exponential backoff and jitter, honouring `retry-after`.
 */

import type { EndpointKind } from '@to11/config';
import {
  ATTR_DEPLOYMENT_ENVIRONMENT_NAME,
  ATTR_GATEWAY_ATTEMPT,
  ATTR_GATEWAY_EXPERIMENT_NAME,
  ATTR_GATEWAY_EXPERIMENT_VARIANT,
  ATTR_GATEWAY_FALLBACK_DEGRADED,
  ATTR_GATEWAY_FALLBACK_INDEX,
  ATTR_GATEWAY_FUNCTION_NAME,
  ATTR_GATEWAY_RETRY_ATTEMPTS,
  ATTR_GATEWAY_RETRY_EXCLUDED_TARGET,
  ATTR_GATEWAY_RETRY_EXHAUSTION_RESETS,
  ATTR_GATEWAY_RETRY_TARGET_EXCLUSIONS,
  ATTR_GATEWAY_ROUTE_NAME,
  ATTR_GATEWAY_ROUTING_LAYER,
  ATTR_GATEWAY_ROUTING_STEP,
  ATTR_GATEWAY_ROUTING_STRATEGY,
  ATTR_GATEWAY_TARGET_NAME,
  type Attributes,
} from '@to11/trace-core';
import type {
  GatewayConfig,
  ProviderSettings,
  RetryPolicy,
  RouteSettings,
  RoutingView,
  StepMember,
  TargetSettings,
} from '../config-types.ts';
import type { Secret } from '../secret.ts';
import { DEFAULT_ENVIRONMENT, viewFor } from './environment-views.ts';
import { resolvePassthrough, splitModelPrefix } from './provider-for-model.ts';
import { RouteCursor } from './route-cursor.ts';
import { type Random, weightedPick } from './weighted-pick.ts';

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

/** Receives the retry counters of reference §6.2 (the gateway's metrics). */
export interface RetryObserver {
  retryAttempt(): void;
  targetExcluded(target: string): void;
  exhaustionReset(): void;
}

/** How a request is planned besides its model. */
export interface PlanOptions {
  /** The request's environment (`x-to11-env`); `prod` by default. */
  environment?: string;
  observer?: RetryObserver;
  random?: Random;
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
    (Object.hasOwn(config.modelTimeouts, model) ? config.modelTimeouts[model] : undefined) ??
    provider.timeoutMs ??
    config.defaultTimeoutMs
  );
}

function findRoute(
  view: RoutingView,
  model: string,
  kind: EndpointKind,
): RouteSettings | undefined {
  const split = splitModelPrefix(model);
  if (split?.prefix === 'function' || split?.prefix === 'route') {
    const layer = split.prefix;
    return view.routes.find((route) => route.layer === layer && route.name === split.rest);
  }
  if (split) return undefined;
  const serves = (route: RouteSettings) =>
    (route.endpoint === null || route.endpoint === kind) && route.models.includes(model);
  // Functions come first in `routes`: a function named like a model shadows it (§8.1).
  return view.routes.find(serves);
}

/** The attempts of one request. */
export class RoutePlan {
  #attempt = 0;
  readonly #cursor: RouteCursor | null;

  private constructor(
    private readonly config: GatewayConfig,
    private readonly view: RoutingView,
    private readonly route: RouteSettings | null,
    private readonly passthrough: { provider: ProviderSettings; model: string } | null,
    private readonly options: PlanOptions & { environment: string },
  ) {
    const random = options.random ?? Math.random;
    this.#cursor = route
      ? new RouteCursor(route, {
          usable: (member) => this.#providerOf(member) !== null,
          pick: (members) => weightedPick(members, random),
          observer: options.observer,
        })
      : null;
  }

  /** The plan for a model on an endpoint kind; null when nothing serves it (404). */
  static resolve(
    model: string,
    kind: EndpointKind,
    config: GatewayConfig,
    options: PlanOptions = {},
  ): RoutePlan | null {
    const environment = options.environment ?? DEFAULT_ENVIRONMENT;
    const view = viewFor(config.environments, environment) ?? config;
    const settled = { ...options, environment };
    const split = splitModelPrefix(model);
    const route = findRoute(view, model, kind);
    if (route) return new RoutePlan(config, view, route, null, settled);
    if (split?.prefix === 'function' || split?.prefix === 'route') return null;
    const resolved = resolvePassthrough(model, view.providers);
    return resolved ? new RoutePlan(config, view, null, resolved, settled) : null;
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
    const cursor = this.#cursor;
    if (!route || !cursor) return null;
    if (this.#attempt > 0 && (previous?.retryAfterMs ?? 0) > MAX_RETRY_WAIT_MS) return null;
    const pick = cursor.advance();
    if (!pick) return null;
    const target = this.view.targets[pick.member.target];
    const provider = this.#providerOf(pick.member);
    if (!target || !provider) return null;
    const backoff =
      this.#attempt === 0 || pick.retryIndex === 0
        ? 0
        : route.retry.backoffBaseMs * 2 ** (pick.retryIndex - 1);
    const jittered = backoff * (0.75 + Math.random() * 0.5);
    const delayMs = Math.min(MAX_RETRY_WAIT_MS, Math.max(jittered, previous?.retryAfterMs ?? 0));
    this.#attempt += 1;
    if (this.#attempt > 1) this.options.observer?.retryAttempt();
    const step = route.steps[pick.stepIndex];
    const routing: Attributes = {
      [ATTR_GATEWAY_ROUTING_LAYER]: route.layer,
      [ATTR_GATEWAY_ROUTE_NAME]: route.name,
      [ATTR_GATEWAY_ROUTING_STRATEGY]: step?.strategy ?? route.strategy,
      [ATTR_GATEWAY_TARGET_NAME]: target.name,
      [ATTR_GATEWAY_ATTEMPT]: this.#attempt,
      [ATTR_GATEWAY_FALLBACK_INDEX]: pick.fallbackIndex,
      [ATTR_GATEWAY_RETRY_ATTEMPTS]: this.#attempt - 1,
      [ATTR_GATEWAY_RETRY_TARGET_EXCLUSIONS]: cursor.exclusionCount,
      [ATTR_GATEWAY_RETRY_EXHAUSTION_RESETS]: cursor.exhaustionResets,
      [ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: this.options.environment,
    };
    if (route.layer === 'function') routing[ATTR_GATEWAY_FUNCTION_NAME] = route.name;
    if (route.steps.length > 1) routing[ATTR_GATEWAY_ROUTING_STEP] = pick.stepIndex;
    if (pick.degraded) routing[ATTR_GATEWAY_FALLBACK_DEGRADED] = true;
    if (cursor.excludedTargets.size > 0) {
      routing[ATTR_GATEWAY_RETRY_EXCLUDED_TARGET] = [...cursor.excludedTargets];
    }
    if (pick.member.variant !== undefined) {
      routing[ATTR_GATEWAY_EXPERIMENT_NAME] = route.experiment;
      routing[ATTR_GATEWAY_EXPERIMENT_VARIANT] = pick.member.variant;
    }
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

  #providerOf(member: StepMember): ProviderSettings | null {
    const id = this.view.targets[member.target]?.providerId;
    return this.view.providers.find((candidate) => candidate.id === id) ?? null;
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
        routing: {
          [ATTR_GATEWAY_ROUTING_LAYER]: 'provider',
          [ATTR_GATEWAY_ATTEMPT]: 1,
          [ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: this.options.environment,
        },
      },
      delayMs: 0,
    };
  }
}
