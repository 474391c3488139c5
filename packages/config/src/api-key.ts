/** The to11 API key format (SPEC §3, §9) and the bootstrap key setting. */
import { z } from 'zod';
import { setting } from './setting.ts';

/** Every secret the store accepts, generated or given; group 2 is the random part. */
export const API_KEY_PATTERN = /^to11_(live|test)_([A-Za-z0-9]{20,64})$/;

/** `TO11_BOOTSTRAP_API_KEY`; a wrong value is reported without echoing it. */
export const bootstrapEnvSchema = z.object({
  TO11_BOOTSTRAP_API_KEY: setting(
    z.string().regex(API_KEY_PATTERN, 'must match to11_(live|test)_[A-Za-z0-9]{20,64}'),
    {
      description:
        'Use this value as the first API key (`to11_(live\\|test)_[A-Za-z0-9]{20,64}`); it is not printed',
    },
  ).optional(),
});
