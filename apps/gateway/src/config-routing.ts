/**
 * Resolution of the provider and routing sections of `to11.toml` into runtime settings,
 * with the cross-checks zod cannot do (unknown targets, unserved models, missing env vars).
 */
import {
  type ConfigFile,
  GATEWAY_DEFAULTS,
  type ProviderSection,
  type TargetSection,
} from '@to11/config';
import type {
  GatewayConfig,
  ProviderSettings,
  RetryPolicy,
  RouteSettings,
  TargetSettings,
} from './config-types.ts';
import { adapterFor, BUILTIN_PROVIDERS, isBuiltinProvider } from './providers/index.ts';
import { environmentViews } from './routing/environment-views.ts';
import { resolvePassthrough } from './routing/provider-for-model.ts';
import { type RouteContext, routeSettings, targetsOf } from './routing/route-settings.ts';
import { Secret } from './secret.ts';

/** Records one problem of the file; resolution goes on so every problem is reported. */
type Report = RouteContext['report'];
type Env = Record<string, string | undefined>;

/**
 * Normalises a base URL: no trailing slash, and `/v1` appended when it has no path at all
 * (`http://127.0.0.1:9000` means `http://127.0.0.1:9000/v1`).
 */
export function normalizeBaseUrl(raw: string): string {
  const url = new URL(raw);
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${path === '' ? '/v1' : path}`;
}

function credentialFrom(
  ref: string | undefined,
  key: string,
  env: Env,
  report: Report,
): Secret | null {
  if (ref === undefined) return null;
  const name = ref.slice('env::'.length);
  const value = env[name];
  if (value === undefined || value === '') {
    report(key, `environment variable ${name} is not set`);
    return null;
  }
  return new Secret(value);
}

function providerSettings(
  id: string,
  section: ProviderSection | undefined,
  envBaseUrl: string | undefined,
  env: Env,
  report: Report,
): ProviderSettings {
  const builtin = isBuiltinProvider(id);
  const format = builtin ? BUILTIN_PROVIDERS[id].format : (section?.format ?? 'openai');
  const adapter = adapterFor(id, format);
  const base = envBaseUrl ?? section?.base_url ?? (builtin ? adapter.defaultBaseUrl : undefined);
  if (base === undefined) {
    report(`providers.${id}.base_url`, 'required for a provider that is not built in');
  }
  const authType = section?.auth_type ?? adapter.authType;
  if (section?.auth_query_name !== undefined && authType !== 'query_param') {
    report(`providers.${id}.auth_query_name`, 'only used with auth_type = "query_param"');
  }
  return {
    id,
    format,
    baseUrl: base === undefined ? '' : normalizeBaseUrl(base),
    models: section?.models ?? [],
    credential: credentialFrom(section?.credential, `providers.${id}.credential`, env, report),
    timeoutMs: section?.timeout_ms ?? null,
    authType,
    authHeaderName:
      section?.auth_header_name ??
      (authType === 'bearer' ? 'authorization' : adapter.authHeaderName),
    authQueryName: section?.auth_query_name ?? 'key',
    enabled: section?.enabled ?? true,
    propagateTrace: section?.propagate_trace ?? true,
    builtin,
  };
}

/** Built-in providers (with overrides) followed by the providers declared in the file. */
export function resolveProviders(
  file: ConfigFile,
  options: { openaiBaseUrl?: string; anthropicBaseUrl?: string; env: Env; report: Report },
): ProviderSettings[] {
  const sections = file.providers ?? {};
  const { env, report } = options;
  const out = [
    providerSettings('openai', sections.openai, options.openaiBaseUrl, env, report),
    providerSettings('anthropic', sections.anthropic, options.anthropicBaseUrl, env, report),
  ];
  for (const [id, section] of Object.entries(sections)) {
    if (!isBuiltinProvider(id)) out.push(providerSettings(id, section, undefined, env, report));
  }
  return out;
}

/** `[targets.*]` tables (`key`: their parent table, `targets` or `environments.qa.targets`). */
function resolveTargets(
  sections: Record<string, TargetSection> | undefined,
  key: string,
  providers: ProviderSettings[],
  env: Env,
  report: Report,
): Record<string, TargetSettings> {
  const targets: Record<string, TargetSettings> = {};
  for (const [name, section] of Object.entries(sections ?? {})) {
    const resolved = resolvePassthrough(section.model, providers);
    if (!resolved)
      report(`${key}.${name}.model`, `"${section.model}" is not served by any provider`);
    targets[name] = {
      name,
      providerId: resolved?.provider.id ?? '',
      model: resolved?.model ?? section.model,
      credential: credentialFrom(section.credential, `${key}.${name}.credential`, env, report),
      weight: section.weight ?? 1,
      timeoutMs: section.timeout_ms ?? null,
    };
  }
  return targets;
}

/**
 * Targets, functions and routes (explicit, and the implicit single route of each bare target),
 * the retry policy, and the routing of each environment.
 */
export function resolveRouting(
  file: ConfigFile,
  providers: ProviderSettings[],
  options: { env: Env; report: Report },
): Pick<GatewayConfig, 'targets' | 'routes' | 'retry' | 'environments'> {
  const { env, report } = options;
  const retry: RetryPolicy = {
    maxRetries: file.routing?.retry?.max_retries ?? GATEWAY_DEFAULTS.maxRetries,
    backoffBaseMs: file.routing?.retry?.backoff_base_ms ?? GATEWAY_DEFAULTS.backoffBaseMs,
  };
  const targets = resolveTargets(file.targets, 'targets', providers, env, report);
  const declared = new Set(Object.keys(targets));
  const ctx: RouteContext = { providers, targets, retry, report };
  const routes: RouteSettings[] = [
    ...Object.entries(file.functions ?? {}).map(([name, section]) =>
      routeSettings(name, section, 'function', `functions.${name}`, ctx),
    ),
    ...Object.entries(file.routes ?? {}).map(([name, section]) =>
      routeSettings(name, section, 'route', `routes.${name}`, ctx),
    ),
  ];
  const referenced = new Set(routes.flatMap(targetsOf));
  for (const environment of Object.values(file.environments ?? {})) {
    for (const section of [
      ...Object.values(environment.routes ?? {}),
      ...Object.values(environment.functions ?? {}),
    ]) {
      for (const name of [
        ...(section.targets ?? []),
        ...(section.steps ?? []).flatMap((step) => step.targets),
        ...(section.variants ?? []).flatMap((variant) => variant.target ?? []),
      ]) {
        referenced.add(name);
      }
    }
  }
  for (const name of declared) {
    if (referenced.has(name)) continue;
    const target = targets[name] as TargetSettings;
    routes.push({
      name,
      layer: 'route',
      endpoint: null,
      models: [file.targets?.[name]?.model ?? target.model],
      strategy: 'single',
      steps: [{ strategy: 'single', members: [{ target: name, weight: target.weight }] }],
      experiment: name,
      retry,
    });
  }
  const environmentTargets = Object.fromEntries(
    Object.entries(file.environments ?? {}).map(([name, section]) => [
      name,
      resolveTargets(section.targets, `environments.${name}.targets`, providers, env, report),
    ]),
  );
  const environments = environmentViews(file, { providers, routes, environmentTargets }, ctx);
  return { targets, routes, retry, environments };
}
