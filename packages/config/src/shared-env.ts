/**
 * The variables every server process reads: the store, the shared state (Redis), the bootstrap
 * key, the log level, span forwarding, the `to11.toml` path, HTTP server timeouts and the
 * failed-auth limit.
 */
import { z } from 'zod';
import { bootstrapEnvSchema } from './api-key.ts';
import { exportEnvSchema } from './export-env.ts';
import { loggingEnvSchema } from './logging-env.ts';
import { serverEnvSchema } from './server-env.ts';
import { setting } from './setting.ts';
import { sharedStateEnvSchema } from './shared-state-env.ts';
import { storeEnvSchema } from './store-env.ts';

/** `TO11_CONFIG`: the gateway reads the whole file, the collector its `[[export.otlp]]`. */
const configPathEnvSchema = z.object({
  TO11_CONFIG: setting(z.string().min(1), {
    description:
      'Path to a `to11.toml` with providers, targets and routes (the collector reads its `[[export.otlp]]`)',
  }).optional(),
});

/** A process's own variables plus the shared ones, validated alike in every process. */
export function withSharedEnv<S extends z.ZodRawShape>(own: z.ZodObject<S>) {
  return z.object({
    ...own.shape,
    ...storeEnvSchema.shape,
    ...sharedStateEnvSchema.shape,
    ...bootstrapEnvSchema.shape,
    ...loggingEnvSchema.shape,
    ...exportEnvSchema.shape,
    ...configPathEnvSchema.shape,
    ...serverEnvSchema.shape,
  });
}
