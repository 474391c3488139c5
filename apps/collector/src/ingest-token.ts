/**
 * Ingest tokens (SPEC §3): short-lived HS256 JWTs, `sub` = project id, `aud` = `to11-collector`,
 * `iss` = `to11`, claim `scopes` = ["otel:write"], 15-minute expiry.
 */
import { errors, jwtVerify, SignJWT } from 'jose';

/** JWT audience of ingest tokens. */
export const INGEST_TOKEN_AUDIENCE = 'to11-collector';
/** JWT issuer of ingest tokens. */
export const INGEST_TOKEN_ISSUER = 'to11';
/** Lifetime of an ingest token, in seconds. */
export const INGEST_TOKEN_TTL_SECONDS = 15 * 60;
/** The one scope an ingest token carries. */
export const INGEST_SCOPE = 'otel:write';

/** A signed token and when it stops working. */
export interface IssuedIngestToken {
  token: string;
  /** RFC 3339, second precision (`2026-03-25T17:30:00Z`). */
  expiresAt: string;
}

/** Outcome of checking a presented token. */
export type IngestTokenVerification =
  | { status: 'valid'; projectId: string }
  | { status: 'invalid'; reason: string } // 401 / UNAUTHENTICATED
  | { status: 'forbidden'; reason: string }; // 403 / PERMISSION_DENIED

/** Signs and verifies ingest tokens (and, wrapped by `acceptApiKeys`, API keys). */
export interface IngestTokens {
  issue(projectId: string): Promise<IssuedIngestToken>;
  /** `requestedProjectId` picks the project of an org API key; a token names its own. */
  verify(credential: string, requestedProjectId?: string): Promise<IngestTokenVerification>;
}

/** Creates the token signer/verifier for a secret (see `resolveTokenSecret`). */
export function createIngestTokens(secret: string, now: () => number = Date.now): IngestTokens {
  const key = new TextEncoder().encode(secret);
  return {
    async issue(projectId) {
      const issuedAt = Math.floor(now() / 1000);
      const exp = issuedAt + INGEST_TOKEN_TTL_SECONDS;
      const token = await new SignJWT({ scopes: [INGEST_SCOPE] })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer(INGEST_TOKEN_ISSUER)
        .setAudience(INGEST_TOKEN_AUDIENCE)
        .setSubject(projectId)
        .setIssuedAt(issuedAt)
        .setExpirationTime(exp)
        .sign(key);
      return { token, expiresAt: new Date(exp * 1000).toISOString().replace('.000Z', 'Z') };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: ['HS256'],
          audience: INGEST_TOKEN_AUDIENCE,
          issuer: INGEST_TOKEN_ISSUER,
          currentDate: new Date(now()),
          requiredClaims: ['sub', 'exp'],
        });
        if (typeof payload.sub !== 'string' || !payload.sub.startsWith('proj_')) {
          return { status: 'invalid', reason: 'ingest token has no project' };
        }
        const scopes = payload.scopes;
        if (!Array.isArray(scopes) || !scopes.includes(INGEST_SCOPE)) {
          return { status: 'forbidden', reason: `ingest token lacks the ${INGEST_SCOPE} scope` };
        }
        return { status: 'valid', projectId: payload.sub };
      } catch (error) {
        return { status: 'invalid', reason: describeJoseError(error) };
      }
    },
  };
}

function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'ingest token expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    return `ingest token rejected: invalid ${error.claim} claim`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return 'ingest token signature is invalid';
  }
  return 'ingest token is malformed';
}
