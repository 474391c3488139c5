/**
 * `REDIS_URL`: where gateway processes share limits, budgets, the exact cache and key revocation
 * (SPEC §10 "Shared state"). Unset, each process keeps that state in memory. The URL is never
 * echoed: it may hold a password.
 */
import { z } from 'zod';
import { setting } from './setting.ts';

export const sharedStateEnvSchema = z.object({
  REDIS_URL: setting(
    z.url({
      protocol: /^rediss?$/,
      error: 'must be a redis:// or rediss:// URL',
    }),
    {
      description:
        '`redis://…`: share rate limits, budgets, the exact cache and key revocation across gateway processes',
    },
  ).optional(),
  TO11_REDIS_KEY_PREFIX: setting(z.string().min(1).max(100), {
    description:
      'Prefix of every Redis key and channel to11 uses, so several deployments (or tests) can share one Redis',
    default: 'to11:',
  }).default('to11:'),
});

/** The shared-state settings after validation. */
export type SharedStateEnv = z.output<typeof sharedStateEnvSchema>;
