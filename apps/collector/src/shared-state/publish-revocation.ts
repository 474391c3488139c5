/**
 * The collector's side of shared key revocation (SPEC §10 "Shared state"): with `REDIS_URL`,
 * the ids of keys revoked through the admin API are published on `<prefix>key-revocations`, and
 * every gateway process drops them from its key cache at once
 * (`apps/gateway/src/shared-state/key-revocations.ts`). Without Redis, or with Redis down, the
 * gateways' 5 s key-cache TTL bounds how long a revoked key still works.
 */
import { revocationChannel } from '@to11/store';
import type { SharedRedis } from '@to11/store/redis';
import type { Logger } from 'pino';

/** Publishes revoked key ids; a Redis failure is logged and otherwise ignored. */
export async function publishRevocation(
  shared: { redis: SharedRedis; keyPrefix: string; logger: Logger },
  keyIds: string[],
): Promise<void> {
  if (keyIds.length === 0) return;
  try {
    await shared.redis.publish(revocationChannel(shared.keyPrefix), JSON.stringify({ keyIds }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    shared.logger.warn({ err: { message } }, 'key revocation not published (redis)');
  }
}
