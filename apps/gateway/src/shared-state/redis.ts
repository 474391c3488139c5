/**
 * The gateway's shared-state Redis connection (SPEC §10 "Shared state"): the one helper of
 * `@to11/store/redis`, which the collector uses too (it publishes key revocations).
 */
export {
  closeRedis,
  openRedis,
  REDIS_COMMAND_TIMEOUT_MS,
  redisReady,
  type SharedRedis,
  subscriberOf,
} from '@to11/store/redis';
