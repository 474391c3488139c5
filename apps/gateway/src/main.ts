/**
 * The standalone gateway process: config from the environment, the store from DATABASE_URL or
 * TO11_DATA_DIR, the SPEC §9 bootstrap, then serve; SIGTERM/SIGINT close gracefully.
 *
 * With `TO11_GATEWAY_WORKERS` above 1 (Postgres only) this process becomes the cluster primary:
 * it migrates the store and creates the bootstrap key once, then forks that many copies of
 * itself, which serve the port as cluster workers (`cluster/primary.ts`).
 *
 * SIGHUP, or a change of the `TO11_CONFIG` file, reloads `to11.toml` (`config-reload.ts`). In a
 * cluster the primary validates the file and orders every worker to load it.
 */
import cluster from 'node:cluster';
import { ConfigError } from '@to11/config';
import { openStore, type Store } from '@to11/store';
import { GENERATION_ENV, startGatewayCluster, WORKER_ENV } from './cluster/primary.ts';
import { loadGatewayConfig } from './config.ts';
import { ConfigReloader } from './config-reload.ts';
import type { GatewayConfig } from './config-types.ts';
import { createGatewayLogger } from './logger.ts';
import { startGateway } from './start-gateway.ts';
import { GatewayMetrics } from './telemetry/gateway-metrics.ts';

function fail(message: string): never {
  process.stderr.write(`to11 gateway: ${message}\n`);
  process.exit(1);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Where the store of `config` is. */
function storeOptions(config: GatewayConfig) {
  const { databaseUrl, dataDir, embeddedEngine } = config;
  return { databaseUrl, dataDir, embeddedEngine };
}

/** Opens the store (migrating it) and creates the bootstrap key if there is no key yet. */
async function openAndBootstrap(config: GatewayConfig): Promise<Store> {
  const store = await openStore(storeOptions(config)).catch((error: unknown) =>
    fail(messageOf(error)),
  );
  const boot = await store.bootstrap(
    config.bootstrapApiKey ? { apiKey: config.bootstrapApiKey } : {},
  );
  if (boot.status === 'created' && !config.bootstrapApiKey) {
    process.stdout.write(`to11: bootstrap API key (shown once): ${boot.secret}\n`);
  }
  return store;
}

async function main(): Promise<void> {
  let config: GatewayConfig;
  try {
    config = loadGatewayConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const logger = createGatewayLogger(config.logLevel);
  // One of our own cluster's workers (not a process some other manager runs under node:cluster).
  const isWorker = cluster.isWorker && process.env[WORKER_ENV] === '1';

  if (!cluster.isWorker && config.workers > 1) {
    await (await openAndBootstrap(config)).close();
    const own = new GatewayMetrics(() => 0);
    const gatewayCluster = await startGatewayCluster(config, logger, own).catch((error: unknown) =>
      fail(messageOf(error)),
    );
    const reloader = new ConfigReloader({
      env: process.env,
      current: config,
      apply: (_config, generation) => gatewayCluster.reloadWorkers(generation),
      logger,
      metrics: own,
    });
    process.on('SIGHUP', () => reloader.reload('SIGHUP'));
    reloader.watch();
    process.stdout.write(
      `to11 gateway listening on ${gatewayCluster.url} (${config.workers} workers)\n`,
    );
    process.exit(await gatewayCluster.stopped);
  }

  // A worker's store is already migrated and bootstrapped by the primary.
  const store = isWorker
    ? await openStore(storeOptions(config)).catch((error: unknown) => fail(messageOf(error)))
    : await openAndBootstrap(config);
  const gateway = await startGateway({ config, store, logger, clusterWorker: isWorker }).catch(
    (error: unknown) => fail(messageOf(error)),
  );
  if (!isWorker) process.stdout.write(`to11 gateway listening on ${gateway.url}\n`);
  const reloader = new ConfigReloader({
    env: process.env,
    current: config,
    apply: (next) => gateway.applyConfig(next),
    logger,
    metrics: gateway.metrics,
  });
  if (isWorker) {
    gateway.metrics.configGeneration = Number(process.env[GENERATION_ENV]) || 1;
    gateway.onPrimaryReload((generation) => reloader.reload('primary', generation));
  } else {
    process.on('SIGHUP', () => reloader.reload('SIGHUP'));
    reloader.watch();
  }
  let stopping = false;
  const shutdown = (): void => {
    // A worker gets SIGINT from the terminal and SIGTERM from its primary: stop once.
    if (stopping) return;
    stopping = true;
    logger.info('shutting down');
    reloader.close();
    gateway
      .close()
      .then(() => store.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

void main();
