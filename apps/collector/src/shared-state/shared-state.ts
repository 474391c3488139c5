/** What the collector shares with the gateways through Redis (`REDIS_URL`). */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** The collector's shared-state connection, when `REDIS_URL` is set. */
export interface CollectorSharedState {
  redis: Redis;
  /** `TO11_REDIS_KEY_PREFIX`. */
  keyPrefix: string;
  logger: Logger;
}
