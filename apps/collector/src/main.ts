/**
 * The standalone collector process (`node apps/collector/dist/main.js`): reads the environment,
 * opens the store, bootstraps the first key, serves, and shuts down gracefully on SIGTERM.
 */

import { ConfigError } from '@to11/config';
import { openStore } from '@to11/store';
import { pino } from 'pino';
import { loadCollectorConfig } from './config.ts';
import { startCollector } from './start-collector.ts';
import { resolveTokenSecret } from './token-secret.ts';

async function main(): Promise<void> {
  const config = loadCollectorConfig(process.env);
  const logger = pino({ level: config.logLevel, name: 'to11-collector' });
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    embeddedEngine: config.embeddedEngine,
  });
  const tokenSecret = await resolveTokenSecret({
    configured: config.tokenSecret,
    dataDir: config.dataDir,
    engine: store.engine,
  }).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  const bootstrap = await store.bootstrap({ apiKey: config.bootstrapApiKey });
  if (bootstrap.status === 'created' && config.bootstrapApiKey === undefined) {
    process.stdout.write(`to11: bootstrap API key (shown once): ${bootstrap.secret}\n`);
  }
  const collector = await startCollector({ config, store, logger, tokenSecret });
  process.stdout.write(`to11 collector OTLP/gRPC listening on ${collector.grpcUrl}\n`);
  process.stdout.write(`to11 collector OTLP/HTTP and API listening on ${collector.httpUrl}\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    collector
      .close()
      .then(() => store.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: errorMessage(error) }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

main().catch((error: unknown) => {
  const line =
    error instanceof ConfigError ? error.message : `to11 collector: ${errorMessage(error)}`;
  process.stderr.write(`${line}\n`);
  process.exit(1);
});
