/**
 * to11 key authentication of `/v1/*` (SPEC §3 "Gateway auth"): `x-to11-authorization: Bearer
 * <api key>` with scope `gateway:invoke`; org keys pick the project with `x-to11-project-id`.
 * Missing, malformed, invalid, revoked or expired → 401 `auth` (the message says which of the
 * first two it is); lacking scope or project → 403 `forbidden`; the key store down → 503
 * `unavailable`. Every 401 counts against the client's address ({@link AuthFailureLimiter}):
 * past the limit the address gets 429 `rate_limit` with `Retry-After` and `x-to11-limit:
 * auth_failures` before its key is looked at. Throws {@link GatewayError}; never returns a
 * response itself. Run by the `/v1/*` chain (`trace.ts`), between the trace and the route.
 */
import { API_KEY_PATTERN } from '@to11/config';
import { type AuthFailureReason, type KeyVerification, resolveProjectAccess } from '@to11/store';
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../env.ts';
import { GatewayError } from '../errors.ts';
import { nodeRequest } from '../node-io/node-response.ts';
import { ProjectCache } from './project-cache.ts';

const BEARER = /^\s*Bearer\s+(\S+)\s*$/i;

/** The to11 key of an `x-to11-authorization` value, or why there is none. */
function presentedKey(
  header: string | undefined,
): { secret: string } | { reason: AuthFailureReason; message: string } {
  if (header === undefined || header.trim() === '') {
    return {
      reason: 'missing',
      message: 'missing to11 API key: send x-to11-authorization: Bearer <key>',
    };
  }
  const secret = BEARER.exec(header)?.[1];
  if (!secret) {
    return {
      reason: 'malformed',
      message: 'malformed x-to11-authorization header: expected `Bearer <key>`',
    };
  }
  if (!API_KEY_PATTERN.test(secret)) {
    return {
      reason: 'malformed',
      message:
        'malformed to11 API key: expected to11_live_… or to11_test_… followed by 20 to 64 letters or digits',
    };
  }
  return { secret };
}

/** The address failed authentications are counted under (`unknown` outside node-server). */
function clientAddress(env: unknown): string {
  return nodeRequest(env)?.socket.remoteAddress ?? 'unknown';
}

/** Authenticates a request: sets `projectId`, `to11Key`, `keyId` and the trace's project, or throws. */
export type Authenticate = (c: Context<AppEnv>) => Promise<void>;

/** The authentication step of `/v1/*`. */
export function authenticator(deps: AppDeps): Authenticate {
  const projects = new ProjectCache(deps.store);
  const limiter = deps.authFailures;
  return async function authenticate(c) {
    const address = clientAddress(c.env);
    const wait = limiter?.refuse(address, 'gateway') ?? 0;
    if (wait > 0) {
      throw new GatewayError(
        'rate_limit',
        `too many failed authentications from this address: retry in ${wait} s`,
        { headers: { 'retry-after': String(wait), 'x-to11-limit': 'auth_failures' } },
      );
    }
    const presented = presentedKey(c.req.header('x-to11-authorization'));
    if (!('secret' in presented)) {
      limiter?.fail(address, 'gateway', presented.reason);
      throw new GatewayError('auth', presented.message);
    }
    const { secret } = presented;
    let verification: KeyVerification;
    try {
      verification = await deps.store.keys.verify(secret);
    } catch {
      throw new GatewayError('unavailable', 'the key store is unavailable; retry shortly');
    }
    if (verification.status !== 'valid') {
      limiter?.fail(address, 'gateway', 'invalid');
      throw new GatewayError('auth', 'invalid, revoked or expired to11 API key');
    }
    const { principal } = verification;
    const requestedProjectId = c.req.header('x-to11-project-id')?.trim() || undefined;
    const access = resolveProjectAccess(principal, { requestedProjectId, scope: 'gateway:invoke' });
    if (access.status !== 'ok') throw new GatewayError('forbidden', access.message);
    if (access.projectId !== principal.projectId) {
      const project = await projects.get(access.projectId);
      if (!project || project.orgId !== principal.orgId) {
        throw new GatewayError('forbidden', 'this key has no access to the requested project');
      }
    }
    c.set('projectId', access.projectId);
    c.set('to11Key', secret);
    c.set('keyId', principal.keyId);
    c.get('trace').projectId = access.projectId;
  };
}
