/**
 * Environments (reference §10.5): `x-to11-env` / `x-to11-environment` pick the routing of an
 * environment, `prod` when absent. An `[environments.<name>]` table turns providers on or off
 * there and replaces or adds routes; routes lose the targets of inactive providers.
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
  base: { providers: ProviderSettings[]; routes: RouteSettings[] },
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
    const overlay = Object.entries(section.routes ?? {}).map(([route, table]) =>
      routeSettings(route, table, 'route', `${key}.routes.${route}`, {
        ...ctx,
        inlinePrefix: `${name}:`,
      }),
    );
    const replaced = new Set(overlay.map((route) => route.name));
    const active = new Set(providers.map((provider) => provider.id));
    // Functions first (L3), then this environment's routes, then the base routes it keeps.
    const routes = [
      ...base.routes.filter((route) => route.layer === 'function'),
      ...overlay,
      ...base.routes.filter((route) => route.layer === 'route' && !replaced.has(route.name)),
    ]
      .map((route) => withoutInactive(route, ctx.targets, active))
      .filter((route): route is RouteSettings => route !== null);
    views[name] = { providers, targets: ctx.targets, routes };
  }
  return views;
}
