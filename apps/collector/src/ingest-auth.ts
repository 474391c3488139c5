import { CollectorError } from './errors.ts';
import type { IngestTokens } from './ingest-token.ts';

/** The project an OTLP request writes into, taken from its ingest token. */
export interface IngestProject {
  projectId: string;
}

/** Extracts the credential of an `Authorization: Bearer <credential>` value; null if absent. */
export function bearerCredential(header: string | null | undefined): string | null {
  if (header === null || header === undefined) return null;
  const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

/**
 * The credential of a `Basic base64(public key:secret key)` value, as the Langfuse SDK sends it:
 * the public key is the project id, the secret key an API key. Null if it is not one.
 */
export function basicCredential(
  header: string | null | undefined,
): { projectId: string; secret: string } | null {
  const match = /^\s*Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) return null;
  return { projectId: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/**
 * Authenticates an OTLP request (SPEC §6) from its `authorization` header or gRPC metadata:
 * `Bearer <ingest token>`, `Bearer <API key>` with `otel:write` (an org key names its project
 * with `x-to11-project-id`), or Langfuse's `Basic <project id:API key>` (SPEC §10).
 * @throws CollectorError `auth` (401 / UNAUTHENTICATED) when the credential is missing or
 *   invalid, `forbidden` (403 / PERMISSION_DENIED) when it lacks `otel:write` or the project,
 *   `unavailable` (503 / UNAVAILABLE) when the key store is down.
 */
export async function authenticateIngest(
  credentials: IngestTokens,
  header: (name: string) => string | null | undefined,
): Promise<IngestProject> {
  const authorization = header('authorization');
  const basic = basicCredential(authorization);
  const credential = basic?.secret ?? bearerCredential(authorization);
  if (credential === null) {
    throw new CollectorError(
      'auth',
      'missing credential: send "authorization: Bearer <API key with otel:write>" or a token from POST /v1/ingest-token/exchange',
    );
  }
  const requestedProjectId = basic?.projectId ?? header('x-to11-project-id')?.trim() ?? undefined;
  const verification = await credentials.verify(credential, requestedProjectId || undefined);
  switch (verification.status) {
    case 'valid':
      return { projectId: verification.projectId };
    case 'invalid':
      throw new CollectorError('auth', verification.reason);
    case 'forbidden':
      throw new CollectorError('forbidden', verification.reason);
  }
}
