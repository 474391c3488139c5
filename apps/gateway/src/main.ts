/**
 * The standalone gateway process: config from the environment, the store from DATABASE_URL or
 * TO11_DATA_DIR, the SPEC §9 bootstrap, then serve; SIGTERM/SIGINT close gracefully.
 */
import { openStore } from '@to11/store';
import { ConfigError, loadGatewayConfig } from './config.ts';
import { createGatewayLogger } from './logger.ts';
import { startGateway } from './start-gateway.ts';

function fail(message: string): never {
  process.stderr.write(`to11 gateway: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let config: ReturnType<typeof loadGatewayConfig>;
  try {
    config = loadGatewayConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const logger = createGatewayLogger(config.logLevel);
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }).catch(
    (error: unknown) => fail(error instanceof Error ? error.message : String(error)),
  );
  const boot = await store.bootstrap(
    config.bootstrapApiKey ? { apiKey: config.bootstrapApiKey } : {},
  );
  if (boot.status === 'created' && !config.bootstrapApiKey) {
    process.stdout.write(`to11: bootstrap API key (shown once): ${boot.secret}\n`);
  }
  const gateway = await startGateway({ config, store, logger }).catch((error: unknown) =>
    fail(error instanceof Error ? error.message : String(error)),
  );
  process.stdout.write(`to11 gateway listening on ${gateway.url}\n`);
  const shutdown = (): void => {
    logger.info('shutting down');
    gateway
      .close()
      .then(() => store.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

void main();
