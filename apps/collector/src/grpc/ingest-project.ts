import { createContextKey } from '@connectrpc/connect';
import type { IngestProject } from '../ingest-auth.ts';

/** Context key under which the auth interceptor leaves the token's project for the handler. */
export const kIngestProject = createContextKey<IngestProject | undefined>(undefined, {
  description: 'project of the verified ingest token',
});
