/**
 * The shared-state Redis connection of gateway and collector (SPEC §10 "Shared state"), opened
 * when `REDIS_URL` (one Redis) or `REDIS_CLUSTER_NODES` (an ioredis `Cluster` client, which
 * follows MOVED/ASK redirections and refreshes the slot map itself) is set. Every multi-key
 * command and script of to11 names keys of one hash tag (`{…}`), so it runs on one slot.
 * Commands fail fast while Redis is unreachable (no offline queue, one try), so every user of the
 * connection decides for itself whether to fail open or closed; the connection keeps
 * reconnecting in the background. Connection errors are logged at most once per
 * {@link ERROR_LOG_INTERVAL_MS}, without the URL (it may hold a password).
 */
import type { RedisTarget } from '@to11/config';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

/** Shortest gap between two logged connection errors. */
const ERROR_LOG_INTERVAL_MS = 1_000;

/** Longest wait for one Redis command before it counts as failed. */
export const REDIS_COMMAND_TIMEOUT_MS = 250;

/** The shared-state connection: one Redis or a Redis Cluster (same commands). */
export type SharedRedis = Redis | Cluster;

const COMMAND_OPTIONS = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  connectTimeout: 2_000,
} satisfies RedisOptions;

function retryDelay(times: number): number {
  return Math.min(times * 200, 2_000);
}

/** A Cluster client on the seed nodes; credentials and TLS come from the first one. */
function openCluster(nodes: string[]): Cluster {
  const urls = nodes.map((node) => new URL(node));
  const first = urls[0];
  const auth: RedisOptions = {};
  if (first?.username) auth.username = decodeURIComponent(first.username);
  if (first?.password) auth.password = decodeURIComponent(first.password);
  if (first?.protocol === 'rediss:') auth.tls = {};
  return new Cluster(
    urls.map((url) => ({ host: url.hostname, port: Number(url.port) })),
    {
      enableOfflineQueue: false,
      clusterRetryStrategy: retryDelay,
      redisOptions: { ...COMMAND_OPTIONS, ...auth },
    },
  );
}

/** Opens the shared-state connection (a URL string: one Redis). */
export function openRedis(target: RedisTarget | string, logger: Logger): SharedRedis {
  const resolved: RedisTarget =
    typeof target === 'string' ? { kind: 'single', url: target } : target;
  const redis: SharedRedis =
    resolved.kind === 'cluster'
      ? openCluster(resolved.nodes)
      : new Redis(resolved.url, {
          ...COMMAND_OPTIONS,
          lazyConnect: false,
          retryStrategy: retryDelay,
        });
  let lastLogged = 0;
  redis.on('error', (error: Error) => {
    const now = Date.now();
    if (now - lastLogged < ERROR_LOG_INTERVAL_MS) return;
    lastLogged = now;
    logger.warn({ err: { name: error.name, message: error.message } }, 'redis unavailable');
  });
  return redis;
}

/**
 * Waits until the connection is ready, at most `timeoutMs`; false when Redis did not answer in
 * time (the gateway then starts anyway and each user of the connection fails open or closed).
 */
export function redisReady(redis: SharedRedis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ready: boolean): void => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ready);
    };
    const onReady = (): void => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    redis.on('ready', onReady);
  });
}

/** Closes the connection without waiting on a Redis that does not answer. */
export async function closeRedis(redis: SharedRedis): Promise<void> {
  await Promise.race([
    redis.quit().catch(() => undefined),
    new Promise<void>((resolve) => setTimeout(resolve, 1_000).unref()),
  ]);
  redis.disconnect();
}

/**
 * A second connection for SUBSCRIBE (it blocks the one it runs on), queueing commands until it
 * connects and subscribing again after every reconnect. On a cluster, classic pub/sub messages
 * reach every node, so any node serves.
 */
export function subscriberOf(redis: SharedRedis): SharedRedis {
  return redis instanceof Cluster
    ? redis.duplicate([], { enableOfflineQueue: true })
    : redis.duplicate({ enableOfflineQueue: true });
}
