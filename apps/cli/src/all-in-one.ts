import { resolveTokenSecret, startCollector } from '@to11/collector';
import { ConfigReloader, type ReloadResult, startGateway } from '@to11/gateway';
import { openStore, type Store, StoreUnavailableError } from '@to11/store';
import type { EmbeddedPrestart } from '@to11/store/prestart';
import type { Logger } from 'pino';
import type { StartConfig } from './start-config.ts';
import { rewordConfigError } from './start-config.ts';
import { describeStore } from './store-env.ts';

/** A running all-in-one; `close()` is the graceful shutdown path. */
export interface AllInOne {
  /**
   * Reads `to11.toml` again and puts the gateway's part in force, as the standalone gateway does
   * on SIGHUP (README "Live reload"); the file is also watched.
   */
  reload(reason: string): ReloadResult;
  /** Stops both servers (in-flight calls finish, spans are flushed), then closes the store. */
  close(): Promise<void>;
}

/** A startup failure whose message is the one line to print after `to11: `. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** Where the all-in-one writes its human lines (listeners, the bootstrap key). */
export interface AllInOneDeps {
  /** The environment the configuration came from (`TO11_CONFIG`, `env::` values) for reloads. */
  env: Readonly<Record<string, string | undefined>>;
  logger: Logger;
  print: (line: string) => void;
  /** The embedded store stopped answering for good (its engine died): end the process. */
  onStoreFatal?: (error: Error) => void;
  /** The embedded store's server, already being started for `config.store` (`start.ts`). */
  prestart?: EmbeddedPrestart | null;
}

/**
 * Starts gateway and collector in this process around one store (SPEC §2 "All-in-one"):
 * resolves the token secret, opens the store (migrations applied), binds both servers, then
 * bootstraps the first key, so a start that fails on a busy port leaves the store without one.
 * Prints the bootstrap key once, only when this start created it and TO11_BOOTSTRAP_API_KEY did
 * not supply it, then one line per listener. On any failure whatever
 * was started is closed again and a `ConfigError` or `StartupError` is thrown.
 */
export async function startAllInOne(config: StartConfig, deps: AllInOneDeps): Promise<AllInOne> {
  const { logger, print } = deps;
  const { databaseUrl, dataDir, embeddedEngine } = config.store;
  const engine = databaseUrl === undefined ? 'pglite' : 'postgres';
  let tokenSecret: string;
  try {
    tokenSecret = await resolveTokenSecret({
      configured: config.collector.tokenSecret,
      dataDir,
      engine,
    });
  } catch (error) {
    throw rewordConfigError(error);
  }

  let store: Store;
  try {
    store = await openStore({
      databaseUrl,
      dataDir,
      embeddedEngine,
      onFatal: deps.onStoreFatal,
      prestart: databaseUrl === undefined ? deps.prestart : null,
    });
  } catch (error) {
    // StoreUnavailableError already reads "cannot reach the store at <url without password>: …".
    const reason = oneLine(error);
    throw new StartupError(
      error instanceof StoreUnavailableError ? reason : `cannot open the store: ${reason}`,
    );
  }
  print(`to11: store: ${describeStore(config.store, store.engine)}`);

  const gatewayLogger = logger.child({ app: 'gateway' });
  const [gateway, collector] = await Promise.allSettled([
    startGateway({ config: config.gateway, store, logger: gatewayLogger }),
    startCollector({
      config: config.collector,
      store,
      logger: logger.child({ app: 'collector' }),
      tokenSecret,
    }),
  ]);
  if (gateway.status === 'rejected' || collector.status === 'rejected') {
    const started = [gateway, collector].flatMap((r) =>
      r.status === 'fulfilled' ? [r.value] : [],
    );
    await Promise.allSettled(started.map((server) => server.close()));
    await store.close().catch(() => undefined);
    throw new StartupError(
      gateway.status === 'rejected'
        ? `cannot start the gateway: ${oneLine(gateway.reason)}`
        : `cannot start the collector: ${oneLine(collector.status === 'rejected' ? collector.reason : '')}`,
    );
  }

  // Bootstrap only once both listeners are bound: a start that fails on a port in use must not
  // create (and print) the one key that is shown once.
  try {
    const bootstrap = await store.bootstrap(
      config.bootstrapApiKey === undefined ? {} : { apiKey: config.bootstrapApiKey },
    );
    if (bootstrap.status === 'created' && config.bootstrapApiKey === undefined) {
      print(`to11: bootstrap API key (shown once): ${bootstrap.secret}`);
    }
  } catch (error) {
    await Promise.allSettled([gateway.value.close(), collector.value.close()]);
    await store.close().catch(() => undefined);
    throw new StartupError(`cannot bootstrap the store: ${oneLine(error)}`);
  }

  print(`to11: gateway listening on ${gateway.value.url}`);
  print(`to11: collector OTLP/gRPC listening on ${collector.value.grpcUrl}`);
  print(`to11: collector OTLP/HTTP and API listening on ${collector.value.httpUrl}`);
  print(`to11: explorer at ${collector.value.httpUrl}/`);

  const reloader = new ConfigReloader({
    env: deps.env,
    current: config.gateway,
    apply: (next) => gateway.value.applyConfig(next),
    logger: gatewayLogger,
    metrics: gateway.value.metrics,
  });
  reloader.watch();

  return {
    reload: (reason) => reloader.reload(reason),
    async close() {
      reloader.close();
      const closed = await Promise.allSettled([gateway.value.close(), collector.value.close()]);
      await store.close();
      const failed = closed.find((result) => result.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
    },
  };
}

/** First line of an error's message: stack traces stay out of the one-line report. */
export function oneLine(error: unknown): string {
  const text =
    error instanceof Error
      ? error.message || String((error as { code?: unknown }).code ?? error.name)
      : String(error);
  return (text.split('\n')[0] ?? '').trim();
}
