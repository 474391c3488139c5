/**
 * Where a request is in its route: which step, which target, how many retries are left, which
 * targets failed (reference §8.2–§8.4, the behaviour {@link RoutePlan} documents).
 */
import type { RouteSettings, StepMember, StepSettings } from '../config-types.ts';
import type { RetryObserver } from './route-plan.ts';

/** The target of the next attempt and where it sits in the route. */
export interface CursorPick {
  member: StepMember;
  stepIndex: number;
  /** 0 for the first target of the chain, +1 per fallback move (SPEC §9). */
  fallbackIndex: number;
  /** Retries of this target so far (0 on a fresh target: no backoff). */
  retryIndex: number;
  /** The extra try of the first target after the whole chain failed. */
  degraded: boolean;
}

/** What the cursor needs from the plan. */
export interface CursorOptions {
  /** Whether a member can be tried (its provider is active in the environment). */
  usable(member: StepMember): boolean;
  /** A weighted choice among members. */
  pick(members: readonly StepMember[]): StepMember | null;
  observer?: RetryObserver | undefined;
}

/** The state of one request's walk through its route. */
export class RouteCursor {
  /** Distinct targets excluded after failing. */
  readonly excludedTargets = new Set<string>();
  exclusionCount = 0;
  exhaustionResets = 0;
  #stepIndex = -1;
  #position = 0;
  #retriesLeft = 0;
  #fallbackIndex = 0;
  #current: StepMember | null = null;
  #degraded: 'no' | 'active' | 'done' = 'no';
  /** Targets of the current weighted step that failed. */
  readonly #failed = new Set<string>();

  constructor(
    private readonly route: RouteSettings,
    private readonly options: CursorOptions,
  ) {}

  /** The next target to try; null when the route is exhausted. */
  advance(): CursorPick | null {
    if (this.#degraded === 'active') {
      this.#degraded = 'done';
      return null;
    }
    const step = this.route.steps[this.#stepIndex];
    if (!step || !this.#current) return this.#nextStep();
    const current = this.#current;
    const retryIndex = this.route.retry.maxRetries - this.#retriesLeft + 1;
    if (step.strategy === 'fallback') {
      if (this.#retriesLeft > 0) return this.#retry(current, retryIndex);
      this.#exclude(current.target);
      const next = this.#firstUsable(step, this.#position + 1);
      if (!next) return this.#nextStep();
      this.#fallbackIndex += 1;
      return this.#fresh(next.member, next.position);
    }
    if (step.strategy === 'single' || this.#retriesLeft <= 0) {
      return this.#retriesLeft > 0 ? this.#retry(current, retryIndex) : this.#nextStep();
    }
    this.#failed.add(current.target);
    this.#exclude(current.target);
    const next = this.#weighted(step);
    if (!next) return this.#nextStep();
    this.#retriesLeft -= 1;
    this.#current = next;
    return this.#pickOf(next, retryIndex);
  }

  #retry(member: StepMember, retryIndex: number): CursorPick {
    this.#retriesLeft -= 1;
    return this.#pickOf(member, retryIndex);
  }

  #fresh(member: StepMember, position: number): CursorPick {
    this.#current = member;
    this.#position = position;
    this.#retriesLeft = this.route.retry.maxRetries;
    return this.#pickOf(member, 0);
  }

  #pickOf(member: StepMember, retryIndex: number, degraded = false): CursorPick {
    return {
      member,
      stepIndex: this.#stepIndex,
      fallbackIndex: this.#fallbackIndex,
      retryIndex,
      degraded,
    };
  }

  /** Moves to the next step with a usable target, or to the degraded-mode try, or ends. */
  #nextStep(): CursorPick | null {
    const first = this.#stepIndex === -1;
    for (this.#stepIndex += 1; ; this.#stepIndex += 1) {
      const step = this.route.steps[this.#stepIndex];
      if (!step) break;
      this.#failed.clear();
      const start =
        step.strategy === 'weighted' || step.strategy === 'experiment'
          ? { member: this.#weighted(step), position: 0 }
          : this.#firstUsable(step, 0);
      if (!start?.member) continue;
      if (!first) this.#fallbackIndex += 1;
      return this.#fresh(start.member, start.position);
    }
    const isChain = this.route.steps.length > 1 || this.route.steps[0]?.strategy === 'fallback';
    const primary = this.route.steps[0] && this.#firstUsable(this.route.steps[0], 0);
    if (!isChain || this.#degraded !== 'no' || !primary || first) return null;
    this.#degraded = 'active';
    this.#stepIndex = 0;
    this.#fallbackIndex += 1;
    this.#current = primary.member;
    return this.#pickOf(primary.member, 1, true);
  }

  #firstUsable(step: StepSettings, from: number): { member: StepMember; position: number } | null {
    for (let position = from; position < step.members.length; position++) {
      const member = step.members[position];
      if (member && this.options.usable(member)) return { member, position };
    }
    return null;
  }

  /** A weighted pick among the step's usable targets that have not failed (reset when none). */
  #weighted(step: StepSettings): StepMember | null {
    const usable = step.members.filter((member) => this.options.usable(member));
    if (usable.length === 0) return null;
    let pool = usable.filter((member) => !this.#failed.has(member.target));
    if (pool.length === 0) {
      this.#failed.clear();
      this.exhaustionResets += 1;
      this.options.observer?.exhaustionReset();
      pool = usable;
    }
    return this.options.pick(pool);
  }

  #exclude(target: string): void {
    this.excludedTargets.add(target);
    this.exclusionCount += 1;
    this.options.observer?.targetExcluded(target);
  }
}
