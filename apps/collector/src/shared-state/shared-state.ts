/** What the collector shares with the gateways through Redis (`REDIS_URL`). */
import type { SharedRedis } from '@to11/store/redis';
import type { Logger } from 'pino';

/** The collector's shared-state connection, when `REDIS_URL` is set. */
export interface CollectorSharedState {
  redis: SharedRedis;
  /** `TO11_REDIS_KEY_PREFIX`. */
  keyPrefix: string;
  logger: Logger;
}
