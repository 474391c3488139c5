import { loadCollectorConfig } from '@to11/collector';
import { loadGatewayConfig } from '@to11/gateway';
import { API_KEY_PATTERN } from '@to11/store';
import { ConfigError } from './config-error.ts';
import { type StoreLocation, storeLocationFromEnv } from './store-env.ts';

/** Everything the all-in-one needs, parsed once from the environment (SPEC §2). */
export interface StartConfig {
  gateway: ReturnType<typeof loadGatewayConfig>;
  collector: ReturnType<typeof loadCollectorConfig>;
  store: StoreLocation;
  /** TO11_BOOTSTRAP_API_KEY: becomes the bootstrap key and is never printed. */
  bootstrapApiKey: string | undefined;
  logLevel: ReturnType<typeof loadGatewayConfig>['logLevel'];
}

/**
 * Parses the gateway's and the collector's configuration and the store location from one
 * environment. Throws `ConfigError` whose message is one line: `invalid configuration: KEY: reason`.
 */
export function loadStartConfig(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): StartConfig {
  const gateway = configStep(() => loadGatewayConfig({ ...env }));
  if (gateway.workers > 1) {
    throw invalid(
      'TO11_GATEWAY_WORKERS: the all-in-one runs one process; run the gateway on its own (apps/gateway/dist/main.js) for several workers',
    );
  }
  const collector = configStep(() => loadCollectorConfig({ ...env }));
  const store = configStep(() => storeLocationFromEnv(env, cwd));
  const bootstrapApiKey = env.TO11_BOOTSTRAP_API_KEY || undefined;
  if (bootstrapApiKey !== undefined && !API_KEY_PATTERN.test(bootstrapApiKey)) {
    throw invalid('TO11_BOOTSTRAP_API_KEY: must match to11_(live|test)_[A-Za-z0-9]{20,64}');
  }
  return { gateway, collector, store, bootstrapApiKey, logLevel: gateway.logLevel };
}

/** Runs one package's loader, rewording its `ConfigError` with {@link rewordConfigError}. */
function configStep<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    throw rewordConfigError(error);
  }
}

/**
 * A package's `ConfigError` (gateway: `KEY: reason`; collector: `invalid configuration: KEY:
 * reason`) as this app's single-line `invalid configuration: KEY: reason`; other errors as is.
 */
export function rewordConfigError(error: unknown): unknown {
  if (!(error instanceof Error) || error.name !== 'ConfigError') return error;
  return invalid(error.message);
}

function invalid(reason: string): ConfigError {
  const line = (reason.split('\n')[0] ?? '').replace(/^invalid configuration:\s*/, '');
  return new ConfigError(`invalid configuration: ${line}`);
}
