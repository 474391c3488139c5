/**
 * The variables every server process reads: the store, the shared state (Redis), the bootstrap
 * key, the log level, span forwarding, HTTP server timeouts and the failed-auth limit.
 */
import { z } from 'zod';
import { bootstrapEnvSchema } from './api-key.ts';
import { exportEnvSchema } from './export-env.ts';
import { loggingEnvSchema } from './logging-env.ts';
import { serverEnvSchema } from './server-env.ts';
import { sharedStateEnvSchema } from './shared-state-env.ts';
import { storeEnvSchema } from './store-env.ts';

/** A process's own variables plus the shared ones, validated alike in every process. */
export function withSharedEnv<S extends z.ZodRawShape>(own: z.ZodObject<S>) {
  return z.object({
    ...own.shape,
    ...storeEnvSchema.shape,
    ...sharedStateEnvSchema.shape,
    ...bootstrapEnvSchema.shape,
    ...loggingEnvSchema.shape,
    ...exportEnvSchema.shape,
    ...serverEnvSchema.shape,
  });
}
