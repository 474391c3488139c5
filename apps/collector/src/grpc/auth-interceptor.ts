import type { Interceptor } from '@connectrpc/connect';
import type { AuthFailureLimiter } from '@to11/store';
import { type AuthGuard, countingFailures, kClientAddress } from '../auth-failures.ts';
import { CollectorError } from '../errors.ts';
import { authenticateIngest } from '../ingest-auth.ts';
import type { IngestTokens } from '../ingest-token.ts';
import { kIngestProject } from './ingest-project.ts';

/**
 * Verifies the ingest token in the `authorization` metadata of every gRPC / Connect / gRPC-web
 * call (SPEC §6) and stores its project under `kIngestProject`. Missing or invalid →
 * UNAUTHENTICATED; without `otel:write` → PERMISSION_DENIED; an address past its allowance of
 * failed authentications → RESOURCE_EXHAUSTED with `retry-after`.
 */
export function authInterceptor(
  tokens: IngestTokens,
  authFailures?: AuthFailureLimiter,
): Interceptor {
  return (next) =>
    async function authenticate(request) {
      const guard: AuthGuard | undefined = authFailures && {
        limiter: authFailures,
        address: request.contextValues.get(kClientAddress),
        surface: 'otlp_grpc',
      };
      try {
        const project = await countingFailures(guard, () =>
          authenticateIngest(tokens, (name) => request.header.get(name)),
        );
        request.contextValues.set(kIngestProject, project);
      } catch (error) {
        if (error instanceof CollectorError) throw error.toConnectError();
        throw error;
      }
      return next(request);
    };
}
