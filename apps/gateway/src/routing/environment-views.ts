/**
 * Environments (reference §10.5): `x-to11-env` / `x-to11-environment` pick the routing of an
 * environment, `prod` when absent. An `[environments.<name>]` table turns providers on or off
 * there and replaces or adds targets, functions and routes by name: a base route or function
 * that names a replaced target uses the environment's. Routes and functions lose the targets of
 * inactive providers.
 */
import type { ConfigFile, EnvironmentSection } from '@to11/config';
import type {
  ProviderSettings,
  RouteSettings,
  RoutingView,
  TargetSettings,
} from '../config-types.ts';
import { type RouteContext, routeSettings } from './route-settings.ts';

/** The environment of a request without an environment header (reference §10.5). */
export const DEFAULT_ENVIRONMENT = 'prod';

/** The environment a request asks for: the `x-to11-env` header, then `x-to11-environment`. */
export function requestedEnvironment(header: (name: string) => string | undefined): string {
  for (const name of ['x-to11-env', 'x-to11-environment']) {
    const value = header(name)?.trim();
    if (value) return value;
  }
  return DEFAULT_ENVIRONMENT;
}

/** The routing view of `environment`; unknown environments route like `prod`. */
export function viewFor(
  environments: Record<string, RoutingView>,
  environment: string,
): RoutingView | undefined {
  // Own keys only: `x-to11-env: toString` must not find Object.prototype's function.
  if (Object.hasOwn(environments, environment)) return environments[environment];
  return Object.hasOwn(environments, DEFAULT_ENVIRONMENT)
    ? environments[DEFAULT_ENVIRONMENT]
    : undefined;
}

function withoutInactive(
  route: RouteSettings,
  targets: Record<string, TargetSettings>,
  active: ReadonlySet<string>,
): RouteSettings | null {
  const steps = route.steps
    .map((step) => ({
      ...step,
      members: step.members.filter((member) =>
        active.has(targets[member.target]?.providerId ?? ''),
      ),
    }))
    .filter((step) => step.members.length > 0);
  return steps.length === 0 ? null : { ...route, steps };
}

/** One view per environment of the file, and `prod` whether or not the file has it. */
export function environmentViews(
  file: ConfigFile,
  base: {
    providers: ProviderSettings[];
    routes: RouteSettings[];
    /** Each environment's own `targets` tables, resolved. */
    environmentTargets: Record<string, Record<string, TargetSettings>>;
  },
  ctx: RouteContext,
): Record<string, RoutingView> {
  const sections: Record<string, EnvironmentSection> = {
    [DEFAULT_ENVIRONMENT]: {},
    ...file.environments,
  };
  const ids = new Set(base.providers.map((provider) => provider.id));
  const views: Record<string, RoutingView> = {};
  for (const [name, section] of Object.entries(sections)) {
    const key = `environments.${name}`;
    for (const list of ['enable_providers', 'disable_providers'] as const) {
      for (const id of section[list] ?? []) {
        if (!ids.has(id)) ctx.report(`${key}.${list}`, `unknown provider "${id}"`);
      }
    }
    const disabled = new Set(section.disable_providers ?? []);
    const enabled = new Set(section.enable_providers ?? []);
    const providers = base.providers.filter(
      (provider) => !disabled.has(provider.id) && (provider.enabled || enabled.has(provider.id)),
    );
    // The base targets (inline ones included), then this environment's; its inline targets are
    // added here, prefixed with the environment's name.
    const targets = { ...ctx.targets, ...base.environmentTargets[name] };
    const envCtx = { ...ctx, targets, inlinePrefix: `${name}:` };
    const functions = Object.entries(section.functions ?? {}).map(([fn, table]) =>
      routeSettings(fn, table, 'function', `${key}.functions.${fn}`, envCtx),
    );
    const overlay = Object.entries(section.routes ?? {}).map(([route, table]) =>
      routeSettings(route, table, 'route', `${key}.routes.${route}`, envCtx),
    );
    const replaced = new Set(
      [...functions, ...overlay].map((route) => `${route.layer}:${route.name}`),
    );
    const kept = (route: RouteSettings) => !replaced.has(`${route.layer}:${route.name}`);
    const active = new Set(providers.map((provider) => provider.id));
    // Functions first (L3), then routes; this environment's before the base ones it keeps.
    const routes = [
      ...functions,
      ...base.routes.filter((route) => route.layer === 'function' && kept(route)),
      ...overlay,
      ...base.routes.filter((route) => route.layer === 'route' && kept(route)),
    ]
      .map((route) => withoutInactive(route, targets, active))
      .filter((route): route is RouteSettings => route !== null);
    views[name] = { providers, targets, routes };
  }
  return views;
}
