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
 * Authenticates an OTLP request (SPEC §6) from its `authorization` header or gRPC metadata.
 * @throws CollectorError `auth` (401 / UNAUTHENTICATED) when the token is missing or invalid,
 *   `forbidden` (403 / PERMISSION_DENIED) when it lacks `otel:write`.
 */
export async function authenticateIngest(
  tokens: IngestTokens,
  authorization: string | null | undefined,
): Promise<IngestProject> {
  const token = bearerCredential(authorization);
  if (token === null) {
    throw new CollectorError(
      'auth',
      'missing ingest token: send "authorization: Bearer <token>" from POST /v1/ingest-token/exchange',
    );
  }
  const verification = await tokens.verify(token);
  switch (verification.status) {
    case 'valid':
      return { projectId: verification.projectId };
    case 'invalid':
      throw new CollectorError('auth', verification.reason);
    case 'forbidden':
      throw new CollectorError('forbidden', verification.reason);
  }
}
