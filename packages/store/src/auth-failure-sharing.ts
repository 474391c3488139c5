/**
 * Failed authentication counted across processes (SPEC §10 "Shared state"): with `REDIS_URL`,
 * every gateway and collector process publishes the client addresses of the failures it saw on
 * `<prefix>auth-failures`, and spends the same tokens in its own {@link AuthFailureLimiter} for
 * the failures the others published. An address that guesses keys against several gateways (or
 * the workers of one) is limited after `TO11_AUTH_FAILURE_LIMIT` failures in all, not that many
 * per process.
 *
 * The check itself stays local and synchronous: no Redis round trip on any request. Failures of
 * one event-loop turn go out as one message. Without Redis, the workers of one gateway cluster
 * share theirs the same way through the primary (`apps/gateway/src/cluster`). A message lost while Redis is away only means the
 * other processes limit later; each process's own count is never lost.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { AuthFailureLimiter } from './auth-failure-limiter.ts';
import { type SharedRedis, subscriberOf } from './redis.ts';

/** Addresses one message carries at most; the failures of more in one turn wait for the next. */
const MAX_ADDRESSES_PER_MESSAGE = 1_000;

/** Failures per client address, as they travel between processes. */
export type AuthFailureCounts = [address: string, count: number][];

/** The published message: who sent it, and failures per address. */
interface FailureMessage {
  from: string;
  failures: AuthFailureCounts;
}

/** The pub/sub channel failed authentications are published on. */
export function authFailureChannel(prefix: string): string {
  return `${prefix}auth-failures`;
}

/**
 * Hands `send` the failures `limiter` records, summed per address over one event-loop turn;
 * returns the function that stops. The way between processes (Redis, a cluster's IPC) is the
 * caller's.
 */
export function batchAuthFailures(
  limiter: AuthFailureLimiter,
  send: (failures: AuthFailureCounts) => void,
): () => void {
  const pending = new Map<string, number>();
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    const failures: AuthFailureCounts = [];
    for (const [address, count] of pending) {
      failures.push([address, count]);
      pending.delete(address);
      if (failures.length === MAX_ADDRESSES_PER_MESSAGE) break;
    }
    if (pending.size > 0) schedule();
    send(failures);
  };
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };
  limiter.observe((address) => {
    pending.set(address, (pending.get(address) ?? 0) + 1);
    schedule();
  });
  return () => {
    limiter.observe(undefined);
    pending.clear();
  };
}

/**
 * Spends in `limiter` the well-formed entries of `failures` that another process sent (at most
 * one message's worth); false when `failures` is no list at all.
 */
export function spendSharedFailures(limiter: AuthFailureLimiter, failures: unknown): boolean {
  if (!Array.isArray(failures)) return false;
  for (const entry of failures.slice(0, MAX_ADDRESSES_PER_MESSAGE)) {
    if (!Array.isArray(entry)) continue;
    const [address, count] = entry as unknown[];
    if (typeof address === 'string' && typeof count === 'number' && Number.isFinite(count))
      limiter.spendShared(address, count);
  }
  return true;
}

/** Shares `limiter`'s failures through `redis`; returns the function that stops sharing. */
export function shareAuthFailures(
  limiter: AuthFailureLimiter,
  redis: SharedRedis,
  prefix: string,
  logger: Logger,
): () => void {
  const self = randomUUID();
  const channel = authFailureChannel(prefix);
  const stopBatching = batchAuthFailures(limiter, (failures) => {
    const message: FailureMessage = { from: self, failures };
    // Redis away: the failures still count here; the others limit later.
    redis.publish(channel, JSON.stringify(message)).catch(() => undefined);
  });

  const subscriber = subscriberOf(redis);
  subscriber.on('error', () => undefined);
  subscriber.subscribe(channel).catch(() => undefined);
  subscriber.on('message', (from: string, text: string) => {
    if (from !== channel) return;
    let message: Partial<FailureMessage> | undefined;
    try {
      message = JSON.parse(text) as Partial<FailureMessage>;
    } catch {
      message = undefined;
    }
    if (typeof message?.from !== 'string') {
      logger.warn('ignored a malformed auth-failure message');
      return;
    }
    if (message.from === self) return;
    if (!spendSharedFailures(limiter, message.failures))
      logger.warn('ignored a malformed auth-failure message');
  });

  return () => {
    stopBatching();
    subscriber.disconnect();
  };
}
