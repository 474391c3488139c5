/**
 * Key revocation shared across processes (SPEC §10 "Shared state"): the collector's admin API
 * publishes the ids of revoked keys on `<prefix>key-revocations`; every gateway process
 * subscribed there drops them from its verified-key cache at once, instead of trusting them
 * until the cache's 5 s TTL runs out. A message missed while Redis was away leaves that TTL as
 * the bound.
 */
import { revocationChannel, type Store } from '@to11/store';
import type { Logger } from 'pino';
import { type SharedRedis, subscriberOf } from './redis.ts';

/** The published message (`apps/collector/src/shared-state/publish-revocation.ts`). */
interface RevocationMessage {
  keyIds: string[];
}

/** Subscribes `store`'s key cache to revocations; resolves the subscriber's close function. */
export function subscribeRevocations(
  redis: SharedRedis,
  prefix: string,
  store: Store,
  logger: Logger,
): () => Promise<void> {
  // Subscribing blocks a connection: a second one, queueing the SUBSCRIBE until it connects
  // (ioredis subscribes again after every reconnect).
  const subscriber = subscriberOf(redis);
  subscriber.on('error', () => undefined);
  const channel = revocationChannel(prefix);
  subscriber.subscribe(channel).catch(() => undefined);
  subscriber.on('message', (from: string, text: string) => {
    if (from !== channel) return;
    try {
      const { keyIds } = JSON.parse(text) as RevocationMessage;
      if (Array.isArray(keyIds))
        store.keys.forgetCached(keyIds.filter((id) => typeof id === 'string'));
    } catch {
      logger.warn('ignored a malformed key revocation message');
    }
  });
  return async () => {
    subscriber.disconnect();
  };
}
