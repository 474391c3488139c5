/**
 * `[routes.*]` and `[functions.*]` tables → {@link RouteSettings} (reference §8.1–§8.3, §9.1):
 * one of `targets`, `steps`, `variants` (and, for a function, inline `models`), each checked
 * against the targets; every problem is reported under its key.
 */
import type { FunctionSection, RouteSection } from '@to11/config';
import type {
  ProviderSettings,
  RetryPolicy,
  RouteSettings,
  StepMember,
  StepSettings,
  TargetSettings,
} from '../config-types.ts';
import { resolvePassthrough } from './provider-for-model.ts';

/** Records one problem of the file under its key. */
export type Report = (key: string, reason: string) => void;

/** What resolving a route or function needs; inline targets are added to `targets`. */
export interface RouteContext {
  /** Prefix of inline target names (an environment's routes must not clash with the base). */
  inlinePrefix?: string;
  providers: readonly ProviderSettings[];
  targets: Record<string, TargetSettings>;
  retry: RetryPolicy;
  report: Report;
}

type Section = (RouteSection | FunctionSection) & { models?: string[] | undefined };

/** An inline target (a function's `models`, a variant's `model`) with provider credentials. */
function inlineTarget(name: string, model: string, key: string, ctx: RouteContext): string {
  const resolved = resolvePassthrough(model, ctx.providers);
  if (!resolved) ctx.report(key, `"${model}" is not served by any provider`);
  ctx.targets[name] = {
    name,
    providerId: resolved?.provider.id ?? '',
    model: resolved?.model ?? model,
    credential: null,
    weight: 1,
    timeoutMs: null,
  };
  return name;
}

function membersOf(names: readonly string[], key: string, ctx: RouteContext): StepMember[] {
  return names.map((target) => {
    const settings = ctx.targets[target];
    if (!settings) ctx.report(key, `unknown target "${target}"`);
    return { target, weight: settings?.weight ?? 1 };
  });
}

function checkStep(step: StepSettings, key: string, report: Report): void {
  if (step.strategy === 'single' && step.members.length > 1) {
    report(key, 'strategy "single" takes exactly one target');
  }
  if (step.strategy === 'experiment' && !step.members.some((member) => member.variant)) {
    report(key, 'strategy "experiment" needs `variants`');
  }
}

function variantMembers(
  section: Section,
  name: string,
  key: string,
  ctx: RouteContext,
): StepMember[] {
  const seen = new Set<string>();
  return (section.variants ?? []).map((variant, index) => {
    const at = `${key}.variants[${index}]`;
    if (seen.has(variant.name)) ctx.report(at, `variant "${variant.name}" appears twice`);
    seen.add(variant.name);
    let target = variant.target ?? '';
    if ((variant.target === undefined) === (variant.model === undefined)) {
      ctx.report(at, 'needs exactly one of `target` and `model`');
    } else if (variant.model !== undefined) {
      target = inlineTarget(
        `${ctx.inlinePrefix ?? ''}${name}/${variant.name}`,
        variant.model,
        at,
        ctx,
      );
    } else if (!ctx.targets[target]) {
      ctx.report(at, `unknown target "${target}"`);
    }
    return { target, weight: variant.weight ?? 1, variant: variant.name };
  });
}

/** The steps of a section, from whichever of its forms it uses. */
function stepsOf(
  section: Section,
  layer: RouteSettings['layer'],
  name: string,
  key: string,
  ctx: RouteContext,
): StepSettings[] {
  const forms = (['models', 'targets', 'steps', 'variants'] as const).filter(
    (form) => section[form] !== undefined && (form !== 'models' || layer === 'function'),
  );
  const allowed =
    layer === 'function'
      ? '`models`, `targets`, `steps`, `variants`'
      : '`targets`, `steps`, `variants`';
  if (forms.length !== 1) {
    ctx.report(key, `needs exactly one of ${allowed} (got ${forms.length})`);
    return [];
  }
  const form = forms[0];
  if (form === 'steps') {
    if (section.strategy !== undefined) {
      ctx.report(`${key}.strategy`, 'each step has its own strategy: drop it or `steps`');
    }
    return (section.steps ?? []).map((step, index) => {
      const at = `${key}.steps[${index}]`;
      const settings = { strategy: step.strategy, members: membersOf(step.targets, at, ctx) };
      checkStep(settings, at, ctx.report);
      return settings;
    });
  }
  if (form === 'variants') {
    if (section.strategy !== undefined && section.strategy !== 'experiment') {
      ctx.report(`${key}.strategy`, '`variants` go with strategy "experiment"');
    }
    return [{ strategy: 'experiment', members: variantMembers(section, name, key, ctx) }];
  }
  if (section.strategy === undefined) {
    ctx.report(`${key}.strategy`, 'required with `targets` or `models`');
  }
  const members =
    form === 'models'
      ? (section.models ?? []).map((model) => ({
          target: inlineTarget(
            `${ctx.inlinePrefix ?? ''}${name}/${model}`,
            model,
            `${key}.models`,
            ctx,
          ),
          weight: 1,
        }))
      : membersOf(section.targets ?? [], `${key}.targets`, ctx);
  const step = { strategy: section.strategy ?? 'single', members };
  checkStep(step, `${key}.${form}`, ctx.report);
  return [step];
}

/** One route or function. `key` is its table's dotted name (`functions.summarize`). */
export function routeSettings(
  name: string,
  section: Section,
  layer: RouteSettings['layer'],
  key: string,
  ctx: RouteContext,
): RouteSettings {
  const steps = stepsOf(section, layer, name, key, ctx);
  return {
    name,
    layer,
    endpoint: section.endpoint ?? 'chat',
    models: layer === 'function' ? [name] : (section.models ?? []),
    strategy: section.steps ? 'steps' : (steps[0]?.strategy ?? 'single'),
    steps,
    experiment: section.experiment ?? name,
    retry: {
      maxRetries: section.retry?.max_retries ?? ctx.retry.maxRetries,
      backoffBaseMs: section.retry?.backoff_base_ms ?? ctx.retry.backoffBaseMs,
    },
  };
}

/** The targets a route's steps name. */
export function targetsOf(route: RouteSettings): string[] {
  return route.steps.flatMap((step) => step.members.map((member) => member.target));
}
