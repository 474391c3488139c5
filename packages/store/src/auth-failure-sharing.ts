/**
 * Failed authentication counted across processes (SPEC §10 "Shared state"): with `REDIS_URL`,
 * every gateway and collector process publishes the client addresses of the failures it saw on
 * `<prefix>auth-failures`, and spends the same tokens in its own {@link AuthFailureLimiter} for
 * the failures the others published. An address that guesses keys against several gateways (or
 * the workers of one) is limited after `TO11_AUTH_FAILURE_LIMIT` failures in all, not that many
 * per process.
 *
 * The check itself stays local and synchronous: no Redis round trip on any request. Failures of
 * one event-loop turn go out as one message. A message lost while Redis is away only means the
 * other processes limit later; each process's own count is never lost.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { AuthFailureLimiter } from './auth-failure-limiter.ts';
import { type SharedRedis, subscriberOf } from './redis.ts';

/** Addresses one message carries at most; the failures of more in one turn wait for the next. */
const MAX_ADDRESSES_PER_MESSAGE = 1_000;

/** The published message: who sent it, and failures per address. */
interface FailureMessage {
  from: string;
  failures: [address: string, count: number][];
}

/** The pub/sub channel failed authentications are published on. */
export function authFailureChannel(prefix: string): string {
  return `${prefix}auth-failures`;
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
  const pending = new Map<string, number>();
  let scheduled = false;

  const publish = (): void => {
    scheduled = false;
    const failures: FailureMessage['failures'] = [];
    for (const [address, count] of pending) {
      failures.push([address, count]);
      pending.delete(address);
      if (failures.length === MAX_ADDRESSES_PER_MESSAGE) break;
    }
    if (pending.size > 0) schedule();
    const message: FailureMessage = { from: self, failures };
    // Redis away: the failures still count here; the others limit later.
    redis.publish(channel, JSON.stringify(message)).catch(() => undefined);
  };
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(publish);
  };
  limiter.observe((address) => {
    pending.set(address, (pending.get(address) ?? 0) + 1);
    schedule();
  });

  const subscriber = subscriberOf(redis);
  subscriber.on('error', () => undefined);
  subscriber.subscribe(channel).catch(() => undefined);
  subscriber.on('message', (from: string, text: string) => {
    if (from !== channel) return;
    const message = parseMessage(text);
    if (message === undefined) {
      logger.warn('ignored a malformed auth-failure message');
      return;
    }
    if (message.from === self) return;
    for (const [address, count] of message.failures) limiter.spendShared(address, count);
  });

  return () => {
    limiter.observe(undefined);
    pending.clear();
    subscriber.disconnect();
  };
}

/** The message in `text`, or undefined when it is not one (only well-formed entries kept). */
function parseMessage(text: string): FailureMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { from, failures } = value as Partial<Record<keyof FailureMessage, unknown>>;
  if (typeof from !== 'string' || !Array.isArray(failures)) return undefined;
  const kept: FailureMessage['failures'] = [];
  for (const entry of failures.slice(0, MAX_ADDRESSES_PER_MESSAGE)) {
    if (!Array.isArray(entry)) continue;
    const [address, count] = entry as unknown[];
    if (typeof address === 'string' && typeof count === 'number' && Number.isFinite(count))
      kept.push([address, count]);
  }
  return { from, failures: kept };
}
