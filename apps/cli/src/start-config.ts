import { loadCollectorConfig } from '@to11/collector';
import { ConfigError, type ConfigIssue, type Env, formatIssue, type LogLevel } from '@to11/config';
import { loadGatewayConfig } from '@to11/gateway';
import { type StoreLocation, storeLocation } from './store-env.ts';

/** Everything the all-in-one needs, parsed once from the environment (SPEC §2). */
export interface StartConfig {
  gateway: ReturnType<typeof loadGatewayConfig>;
  collector: ReturnType<typeof loadCollectorConfig>;
  store: StoreLocation;
  /** TO11_BOOTSTRAP_API_KEY: becomes the bootstrap key and is never printed. */
  bootstrapApiKey: string | undefined;
  logLevel: LogLevel;
}

const HEADING = 'invalid configuration';

/**
 * Parses the gateway's and the collector's configuration and the store location from one
 * environment. Throws one `ConfigError` listing every problem of both, each once:
 * `invalid configuration: KEY: reason; KEY: reason`.
 */
export function loadStartConfig(env: Env, cwd: string): StartConfig {
  const issues: ConfigIssue[] = [];
  const gateway = configStep(() => loadGatewayConfig({ ...env }), issues);
  const collector = configStep(() => loadCollectorConfig({ ...env }), issues);
  if (gateway !== undefined && gateway.workers > 1) {
    issues.push({
      key: 'TO11_GATEWAY_WORKERS',
      message:
        'the all-in-one runs one process; run the gateway on its own (apps/gateway/dist/main.js) for several workers',
    });
  }
  if (gateway === undefined || collector === undefined || issues.length > 0) {
    throw new ConfigError(distinct(issues), HEADING);
  }
  return {
    gateway,
    collector,
    store: storeLocation(collector, cwd),
    bootstrapApiKey: collector.bootstrapApiKey,
    logLevel: collector.logLevel,
  };
}

/** Runs one package's loader; its `ConfigError` issues join `issues`, other errors propagate. */
function configStep<T>(load: () => T, issues: ConfigIssue[]): T | undefined {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    issues.push(...error.issues);
    return undefined;
  }
}

/** The gateway and the collector check the shared variables alike: report each problem once. */
function distinct(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const line = formatIssue(issue);
    if (seen.has(line)) return false;
    seen.add(line);
    return true;
  });
}

/** A package's `ConfigError` under this app's `invalid configuration:` heading; other errors as is. */
export function rewordConfigError(error: unknown): unknown {
  return error instanceof ConfigError ? error.withHeading(HEADING) : error;
}
