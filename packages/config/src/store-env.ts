/** Where the store lives: `DATABASE_URL` (Postgres) or `TO11_DATA_DIR` (embedded PGlite). */
import { z } from 'zod';
import { setting } from './setting.ts';

/** The embedded store's directory when `TO11_DATA_DIR` is unset (SPEC §2). */
export const DEFAULT_DATA_DIR = './.to11/data';

/** `DATABASE_URL` and `TO11_DATA_DIR`. The URL is never echoed: it may hold a password. */
export const storeEnvSchema = z.object({
  DATABASE_URL: setting(
    z.url({
      protocol: /^postgres(ql)?$/,
      error: 'must be a postgres:// or postgresql:// URL',
    }),
    { description: '`postgres://…`: use Postgres instead of the embedded store' },
  ).optional(),
  TO11_DATA_DIR: setting(z.string().min(1), {
    description: 'Embedded store (PGlite) directory; also holds the generated token secret',
    default: DEFAULT_DATA_DIR,
  }).default(DEFAULT_DATA_DIR),
});

/** The store settings after validation. */
export type StoreEnv = z.output<typeof storeEnvSchema>;
