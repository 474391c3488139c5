/**
 * The gateway's cluster primary (`TO11_GATEWAY_WORKERS` above 1, Postgres only): forks the
 * workers that share the gateway port (node:cluster hands each new connection to one of them),
 * replaces a worker that dies, sums the workers' metrics for a scrape, and on SIGTERM/SIGINT
 * lets every worker drain its calls and flush its spans before exiting. It passes each worker's
 * failed authentications to the others (without Redis; with it they share them there). Live reload is the
 * primary's: it validates the new `to11.toml` and orders every worker to load it
 * ({@link GatewayCluster.reloadWorkers}); its reload counters join the workers' metrics.
 *
 * It serves no request and holds no store connection itself: `main.ts` migrates the store and
 * creates the bootstrap key once, before the workers start.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config-types.ts';
import type { GatewayMetrics } from '../telemetry/gateway-metrics.ts';
import { mergeSnapshots } from '../telemetry/merge-snapshots.ts';
import type { MetricSnapshot } from '../telemetry/prometheus.ts';
import { type ClusterMessage, isClusterMessage } from './messages.ts';

/**
 * Set in the environment of the workers this primary forks, so that `main.ts` tells them from
 * a process that another cluster manager (pm2, say) runs as a cluster worker.
 */
export const WORKER_ENV = 'TO11_GATEWAY_CLUSTER_WORKER';
/** The configuration generation a forked worker starts at (set by the primary). */
export const GENERATION_ENV = 'TO11_GATEWAY_CONFIG_GENERATION';

/** How long a scrape waits for the workers' snapshots before merging those that arrived. */
const SNAPSHOT_TIMEOUT_MS = 1_000;
/** Delay before a worker that died is replaced (a crash loop stays slow). */
const RESTART_DELAY_MS = 1_000;
/** Longest wait for the workers at shutdown (their own grace is 30 s plus a 10 s flush). */
const SHUTDOWN_TIMEOUT_MS = 45_000;

/** A scrape being answered: the workers still to reply and the snapshots so far. */
interface Collection {
  waiting: Set<number>;
  replies: MetricSnapshot[][];
  finish(): void;
}

/** The running cluster. */
export interface GatewayCluster {
  /** `http://host:port`, once every worker listens. */
  url: string;
  /** Settles with the exit code the primary should end with, after the workers have exited. */
  stopped: Promise<number>;
  /** Orders every worker to load `to11.toml` again, as configuration `generation`. */
  reloadWorkers(generation: number): void;
}

/** Forks `config.workers` workers of the current entry point and supervises them. */
export function startGatewayCluster(
  config: GatewayConfig,
  logger: Logger,
  /** The primary's own metrics (reload generation and failures), merged into every scrape. */
  own: GatewayMetrics,
): Promise<GatewayCluster> {
  const listening = new Set<number>();
  const collections = new Map<number, Collection>();
  let nextCollection = 1;
  let shuttingDown = false;
  let failedCode = 0;
  let resolveStopped: (code: number) => void = () => undefined;
  const stopped = new Promise<number>((resolve) => {
    resolveStopped = resolve;
  });

  const liveWorkers = (): Worker[] =>
    Object.values(cluster.workers ?? {}).filter(
      (worker): worker is Worker => worker !== undefined && !worker.isDead(),
    );

  const collect = (asker: Worker, askerId: number): void => {
    const id = nextCollection++;
    const targets = liveWorkers().filter(
      (worker) => listening.has(worker.id) && worker.isConnected(),
    );
    const collection: Collection = {
      waiting: new Set(targets.map((worker) => worker.id)),
      replies: [],
      finish: () => {
        if (!collections.delete(id)) return;
        clearTimeout(timer);
        const reply: ClusterMessage = {
          to11: 'metrics:merged',
          id: askerId,
          metrics: mergeSnapshots([...collection.replies, own.snapshot()]),
        };
        if (asker.isConnected()) asker.send(reply, () => undefined);
      },
    };
    const timer = setTimeout(collection.finish, SNAPSHOT_TIMEOUT_MS);
    collections.set(id, collection);
    for (const worker of targets) {
      // A worker whose channel closed meanwhile is simply not waited for.
      worker.send({ to11: 'metrics:snapshot', id } satisfies ClusterMessage, (error) => {
        if (error && collection.waiting.delete(worker.id) && collection.waiting.size === 0) {
          collection.finish();
        }
      });
    }
    if (targets.length === 0) collection.finish();
  };

  const reloadWorkers = (generation: number): void => {
    for (const worker of liveWorkers()) {
      if (worker.isConnected()) {
        worker.send({ to11: 'config:reload', id: generation } satisfies ClusterMessage, () => {
          // A worker that is gone reads the current file when it is replaced.
        });
      }
    }
  };

  const onMessage = (worker: Worker, message: unknown): void => {
    if (!isClusterMessage(message)) return;
    if (message.to11 === 'metrics:collect') collect(worker, message.id);
    else if (message.to11 === 'metrics:snapshot' && 'metrics' in message) {
      const collection = collections.get(message.id);
      if (!collection?.waiting.delete(worker.id)) return;
      collection.replies.push(message.metrics);
      if (collection.waiting.size === 0) collection.finish();
    } else if (message.to11 === 'auth:failures') {
      for (const other of liveWorkers()) {
        if (other.id !== worker.id && other.isConnected()) other.send(message, () => undefined);
      }
    }
  };

  const fork = (): Worker => {
    // A replacement worker starts at the generation in force (it reads the current file).
    const worker = cluster.fork({
      [WORKER_ENV]: '1',
      [GENERATION_ENV]: String(own.configGeneration),
    });
    worker.on('message', (message: unknown) => onMessage(worker, message));
    return worker;
  };

  return new Promise((resolveStarted, rejectStarted) => {
    let started = false;
    let startFailure: string | undefined;
    cluster.on('listening', (worker, address) => {
      listening.add(worker.id);
      if (started || listening.size < config.workers) return;
      started = true;
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      resolveStarted({ url: `http://${host}:${address.port}`, stopped, reloadWorkers });
    });
    cluster.on('exit', (worker, code, signal) => {
      const wasListening = listening.delete(worker.id);
      for (const collection of collections.values()) {
        if (collection.waiting.delete(worker.id) && collection.waiting.size === 0) {
          collection.finish();
        }
      }
      if (shuttingDown) {
        // A worker that did not exit cleanly may not have flushed its spans.
        if (code !== 0) failedCode = 1;
        if (liveWorkers().length === 0) finishStop();
        return;
      }
      if (!wasListening) {
        // A worker that could not even start (store unreachable, port taken): restarting it
        // would loop, so the whole gateway stops.
        startFailure = `a gateway worker exited (${code ?? signal}) before listening`;
        logger.error({ worker: worker.process.pid, code, signal }, startFailure);
        shutdown();
        return;
      }
      logger.error(
        { worker: worker.process.pid, code, signal },
        'gateway worker exited unexpectedly; starting a new one',
      );
      setTimeout(() => {
        if (!shuttingDown) fork();
      }, RESTART_DELAY_MS);
    });

    /** Every worker has exited after a shutdown. */
    const finishStop = (): void => {
      if (!started)
        rejectStarted(new Error(startFailure ?? 'stopped before every worker listened'));
      resolveStopped(failedCode);
    };
    const shutdown = (): void => {
      if (shuttingDown) return;
      shuttingDown = true;
      const workers = liveWorkers();
      if (workers.length === 0) finishStop();
      for (const worker of workers) worker.process.kill('SIGTERM');
      setTimeout(() => {
        for (const worker of liveWorkers()) worker.process.kill('SIGKILL');
      }, SHUTDOWN_TIMEOUT_MS).unref();
    };
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);

    for (let i = 0; i < config.workers; i++) fork();
  });
}
