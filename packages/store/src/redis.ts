/**
 * The shared-state Redis connection of gateway and collector (SPEC §10 "Shared state"), opened when `REDIS_URL` is set.
 * Commands fail fast while Redis is unreachable (no offline queue, one try), so every user of the
 * connection decides for itself whether to fail open or closed; the connection keeps
 * reconnecting in the background. Connection errors are logged at most once per
 * {@link ERROR_LOG_INTERVAL_MS}, without the URL (it may hold a password).
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** Shortest gap between two logged connection errors. */
const ERROR_LOG_INTERVAL_MS = 1_000;

/** Longest wait for one Redis command before it counts as failed. */
export const REDIS_COMMAND_TIMEOUT_MS = 250;

/** Opens the shared-state connection to `url`. */
export function openRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
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
export function redisReady(redis: Redis, timeoutMs: number): Promise<boolean> {
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
export async function closeRedis(redis: Redis): Promise<void> {
  await Promise.race([
    redis.quit().catch(() => undefined),
    new Promise<void>((resolve) => setTimeout(resolve, 1_000).unref()),
  ]);
  redis.disconnect();
}
