/**
 * The two ways to11 runs (SPEC §2), started as a user starts them: the all-in-one that
 * `pnpm start` runs, on an embedded store in a fresh data directory, and the gateway and the
 * collector as two processes on Postgres (what docker compose runs).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ENTRY_POINTS,
  type ExitStatus,
  type ProductProcess,
  spawnProduct,
} from './product-process.ts';

/** The bootstrap key every e2e run uses (`TO11_BOOTSTRAP_API_KEY`), so tests know it up front. */
export const E2E_API_KEY = 'to11_test_e2eBootstrapKey0123456789abcdef';

/** Endpoints of a running product and how to stop it. */
export interface RunningProduct {
  /** Gateway origin, e.g. `http://127.0.0.1:41234` (SDK base URL: `${gatewayUrl}/v1`). */
  gatewayUrl: string;
  /** Collector OTLP/gRPC endpoint for an OTel exporter. */
  grpcUrl: string;
  /** Collector OTLP/HTTP, token exchange, admin and read API origin. */
  httpUrl: string;
  apiKey: string;
  /** The processes, gateway first when there are two. */
  processes: ProductProcess[];
  /** SIGTERMs every process (in parallel) and waits for the exits. */
  stop(): Promise<ExitStatus[]>;
}

/** Where the fake provider listens: both provider base URLs point at it. */
export interface ProviderEnv {
  providerBaseUrl: string;
}

/** A first start initialises PGlite and migrates; on a loaded two-core machine that took ~10 s. */
const START_TIMEOUT_MS = 60_000;
const GATEWAY_LINE = /gateway listening on (http:\/\/\S+)/;
const GRPC_LINE = /OTLP\/gRPC listening on (http:\/\/\S+)/;
const HTTP_LINE = /OTLP\/HTTP and API listening on (http:\/\/\S+)/;

function providerVariables({ providerBaseUrl }: ProviderEnv): Record<string, string> {
  return { TO11_OPENAI_BASE_URL: providerBaseUrl, TO11_ANTHROPIC_BASE_URL: providerBaseUrl };
}

function origin(url: string): string {
  return url.replace(/\/+$/, '');
}

/** A fresh, empty data directory for an embedded store. */
export function freshDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'to11-e2e-'));
  // As root the embedded Postgres runs as another user, who must be able to pass through.
  chmodSync(dir, 0o711);
  return dir;
}

/**
 * Starts `node apps/cli/dist/start.js` (the all-in-one) on free ports with its store in
 * `dataDir`, and resolves once it has logged its three listener lines.
 */
export async function startAllInOne(
  options: ProviderEnv & { dataDir: string; env?: Record<string, string> },
): Promise<RunningProduct> {
  const child = spawnProduct('all-in-one', ENTRY_POINTS.allInOne, {
    TO11_DATA_DIR: options.dataDir,
    TO11_BOOTSTRAP_API_KEY: E2E_API_KEY,
    TO11_GATEWAY_PORT: '0',
    TO11_COLLECTOR_GRPC_PORT: '0',
    TO11_COLLECTOR_HTTP_PORT: '0',
    ...providerVariables(options),
    ...options.env,
  });
  try {
    const [gateway, grpc, http] = await Promise.all([
      child.waitFor(GATEWAY_LINE, START_TIMEOUT_MS),
      child.waitFor(GRPC_LINE, START_TIMEOUT_MS),
      child.waitFor(HTTP_LINE, START_TIMEOUT_MS),
    ]);
    return running([child], gateway[1], grpc[1], http[1]);
  } catch (error) {
    await child.stop('SIGKILL');
    throw error;
  }
}

/**
 * Starts `node apps/collector/dist/main.js` and `node apps/gateway/dist/main.js` side by side on
 * the Postgres database at `databaseUrl`, and resolves once both listen.
 */
export async function startSeparate(
  options: ProviderEnv & { databaseUrl: string; env?: Record<string, string> },
): Promise<RunningProduct> {
  const shared = {
    DATABASE_URL: options.databaseUrl,
    TO11_BOOTSTRAP_API_KEY: E2E_API_KEY,
    ...options.env,
  };
  const collector = spawnProduct('collector', ENTRY_POINTS.collector, {
    TO11_TOKEN_SECRET: randomBytes(32).toString('hex'),
    ...shared,
    TO11_COLLECTOR_GRPC_PORT: '0',
    TO11_COLLECTOR_HTTP_PORT: '0',
  });
  const gateway = spawnProduct('gateway', ENTRY_POINTS.gateway, {
    ...shared,
    TO11_GATEWAY_PORT: '0',
    ...providerVariables(options),
  });
  try {
    const [gatewayLine, grpc, http] = await Promise.all([
      gateway.waitFor(GATEWAY_LINE, START_TIMEOUT_MS),
      collector.waitFor(GRPC_LINE, START_TIMEOUT_MS),
      collector.waitFor(HTTP_LINE, START_TIMEOUT_MS),
    ]);
    return running([gateway, collector], gatewayLine[1], grpc[1], http[1]);
  } catch (error) {
    await Promise.all([gateway.stop('SIGKILL'), collector.stop('SIGKILL')]);
    throw error;
  }
}

function running(
  processes: ProductProcess[],
  gatewayUrl: string | undefined,
  grpcUrl: string | undefined,
  httpUrl: string | undefined,
): RunningProduct {
  if (gatewayUrl === undefined || grpcUrl === undefined || httpUrl === undefined) {
    throw new Error('listener line without a URL');
  }
  return {
    gatewayUrl: origin(gatewayUrl),
    grpcUrl: origin(grpcUrl),
    httpUrl: origin(httpUrl),
    apiKey: E2E_API_KEY,
    processes,
    stop: () => Promise.all(processes.map((process) => process.stop())),
  };
}

/** A collector process alone and its two listeners. */
export interface RunningCollector {
  process: ProductProcess;
  grpcUrl: string;
  httpUrl: string;
}

/**
 * Starts `node apps/collector/dist/main.js` alone on the Postgres database at `databaseUrl`
 * (fault tests restart it after a SIGKILL: pass the same `tokenSecret` to keep tokens valid).
 */
export async function startCollector(options: {
  databaseUrl: string;
  tokenSecret: string;
  env?: Record<string, string>;
}): Promise<RunningCollector> {
  const child = spawnProduct('collector', ENTRY_POINTS.collector, {
    DATABASE_URL: options.databaseUrl,
    TO11_BOOTSTRAP_API_KEY: E2E_API_KEY,
    TO11_TOKEN_SECRET: options.tokenSecret,
    TO11_COLLECTOR_GRPC_PORT: '0',
    TO11_COLLECTOR_HTTP_PORT: '0',
    ...options.env,
  });
  try {
    const [grpc, http] = await Promise.all([
      child.waitFor(GRPC_LINE, START_TIMEOUT_MS),
      child.waitFor(HTTP_LINE, START_TIMEOUT_MS),
    ]);
    if (grpc[1] === undefined || http[1] === undefined)
      throw new Error('listener line without a URL');
    return { process: child, grpcUrl: origin(grpc[1]), httpUrl: origin(http[1]) };
  } catch (error) {
    await child.stop('SIGKILL');
    throw error;
  }
}

/** A gateway process alone and its origin. */
export interface RunningGateway {
  process: ProductProcess;
  gatewayUrl: string;
}

/**
 * Starts one more `node apps/gateway/dist/main.js` on the Postgres database at `databaseUrl`
 * (fault tests run gateways with their own settings next to a running product).
 */
export async function startGatewayProcess(
  options: ProviderEnv & { databaseUrl: string; env?: Record<string, string> },
): Promise<RunningGateway> {
  const child = spawnProduct('gateway', ENTRY_POINTS.gateway, {
    DATABASE_URL: options.databaseUrl,
    TO11_BOOTSTRAP_API_KEY: E2E_API_KEY,
    TO11_GATEWAY_PORT: '0',
    ...providerVariables(options),
    ...options.env,
  });
  try {
    const [, url] = await child.waitFor(GATEWAY_LINE, START_TIMEOUT_MS);
    if (url === undefined) throw new Error('listener line without a URL');
    return { process: child, gatewayUrl: origin(url) };
  } catch (error) {
    await child.stop('SIGKILL');
    throw error;
  }
}
