import { createContextKey, type Interceptor } from '@connectrpc/connect';
import type { AuthFailureLimiter } from '@to11/store';
import { type AuthGuard, countingFailures, kClientAddress } from '../auth-failures.ts';
import { CollectorError } from '../errors.ts';
import { authenticateIngest, type IngestProject } from '../ingest-auth.ts';
import type { IngestTokens } from '../ingest-token.ts';
import { kIngestProject } from './ingest-project.ts';

/** What {@link authenticateCall} found: the project, or the error to answer with. */
export type IngestAuthResult = { project: IngestProject } | { error: unknown };

/** Context key of the call's {@link IngestAuthResult}, when it was found before the body was read. */
export const kIngestAuth = createContextKey<IngestAuthResult | undefined>(undefined, {
  description: 'result of the ingest authentication made from the request headers',
});

/**
 * Authenticates one call from its headers (SPEC §6), counting a failure against the client
 * address and refusing an address past its allowance; never throws.
 */
export async function authenticateCall(
  tokens: IngestTokens,
  authFailures: AuthFailureLimiter | undefined,
  address: string,
  header: (name: string) => string | null | undefined,
): Promise<IngestAuthResult> {
  const guard: AuthGuard | undefined = authFailures && {
    limiter: authFailures,
    address,
    surface: 'otlp_grpc',
  };
  try {
    return { project: await countingFailures(guard, () => authenticateIngest(tokens, header)) };
  } catch (error) {
    return { error };
  }
}

/**
 * Verifies the ingest token in the `authorization` metadata of every gRPC / Connect / gRPC-web
 * call (SPEC §6) and stores its project under `kIngestProject`. Missing or invalid →
 * UNAUTHENTICATED; without `otel:write` → PERMISSION_DENIED; an address past its allowance of
 * failed authentications → RESOURCE_EXHAUSTED with `retry-after`. A result found from the
 * headers before the body was read (`kIngestAuth`) is used as it is.
 */
export function authInterceptor(
  tokens: IngestTokens,
  authFailures?: AuthFailureLimiter,
): Interceptor {
  return (next) =>
    async function authenticate(request) {
      const result =
        request.contextValues.get(kIngestAuth) ??
        (await authenticateCall(
          tokens,
          authFailures,
          request.contextValues.get(kClientAddress),
          (name) => request.header.get(name),
        ));
      if ('error' in result) {
        if (result.error instanceof CollectorError) throw result.error.toConnectError();
        throw result.error;
      }
      request.contextValues.set(kIngestProject, result.project);
      return next(request);
    };
}
