/**
 * Failed authentication on the collector's surfaces (OTLP/HTTP, OTLP/gRPC, token exchange,
 * read and admin API), counted per client address by the store's {@link AuthFailureLimiter}:
 * an address past its allowance is refused with 429 / RESOURCE_EXHAUSTED and `Retry-After`
 * before its credential is looked at; every 401 / UNAUTHENTICATED counts one failure.
 */
import { createContextKey } from '@connectrpc/connect';
import type { AuthFailureLimiter, AuthFailureReason } from '@to11/store';
import type { Context } from 'hono';
import { CollectorError } from './errors.ts';
import type { AppEnv } from './http/env.ts';

/** Where a credential was presented (the `surface` label of the auth metrics). */
export type AuthSurface = 'otlp_http' | 'otlp_grpc' | 'token_exchange' | 'api';

/** One request's place in the limiter: who is asking, where. */
export interface AuthGuard {
  limiter: AuthFailureLimiter;
  address: string;
  surface: AuthSurface;
}

/** Context key of the client address of a gRPC / Connect call (set by the node adapter). */
export const kClientAddress = createContextKey<string>('unknown', {
  description: 'remote address of the connection',
});

/** The guard of an HTTP request on `surface`; undefined when the app counts nothing. */
export function guardFor(c: Context<AppEnv>, surface: AuthSurface): AuthGuard | undefined {
  const limiter = c.get('authFailures');
  if (limiter === undefined) return undefined;
  return { limiter, address: c.env?.incoming?.socket?.remoteAddress ?? 'unknown', surface };
}

/** @throws CollectorError `rate_limit` when the guard's address failed too often. */
export function refuseIfLimited(guard: AuthGuard | undefined): void {
  if (guard === undefined) return;
  const wait = guard.limiter.refuse(guard.address, guard.surface);
  if (wait > 0) {
    throw new CollectorError(
      'rate_limit',
      `too many failed authentications from this address: retry in ${wait} s`,
      wait,
    );
  }
}

/** Runs `authenticate`; a 401 it throws counts as a failure of the guard's address. */
export async function countingFailures<T>(
  guard: AuthGuard | undefined,
  authenticate: () => Promise<T>,
): Promise<T> {
  refuseIfLimited(guard);
  try {
    return await authenticate();
  } catch (error) {
    if (guard !== undefined && error instanceof CollectorError && error.code === 'auth') {
      guard.limiter.fail(guard.address, guard.surface, reasonOf(error.message));
    }
    throw error;
  }
}

function reasonOf(message: string): AuthFailureReason {
  if (message.startsWith('missing')) return 'missing';
  if (message.includes('malformed')) return 'malformed';
  return 'invalid';
}
