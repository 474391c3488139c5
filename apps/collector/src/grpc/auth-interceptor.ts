import type { Interceptor } from '@connectrpc/connect';
import { CollectorError } from '../errors.ts';
import { authenticateIngest } from '../ingest-auth.ts';
import type { IngestTokens } from '../ingest-token.ts';
import { kIngestProject } from './ingest-project.ts';

/**
 * Verifies the ingest token in the `authorization` metadata of every gRPC / Connect / gRPC-web
 * call (SPEC §6) and stores its project under `kIngestProject`. Missing or invalid →
 * UNAUTHENTICATED; without `otel:write` → PERMISSION_DENIED.
 */
export function authInterceptor(tokens: IngestTokens): Interceptor {
  return (next) =>
    async function authenticate(request) {
      try {
        const project = await authenticateIngest(tokens, (name) => request.header.get(name));
        request.contextValues.set(kIngestProject, project);
      } catch (error) {
        if (error instanceof CollectorError) throw error.toConnectError();
        throw error;
      }
      return next(request);
    };
}
