/**
 * Where the store lives: `DATABASE_URL` (Postgres) or `TO11_DATA_DIR` (the embedded store,
 * run by the engine `TO11_EMBEDDED_ENGINE` names).
 */
import { z } from 'zod';
import { setting } from './setting.ts';

/** The embedded store's directory when `TO11_DATA_DIR` is unset (SPEC §2). */
export const DEFAULT_DATA_DIR = './.to11/data';

/** The embedded engines (SPEC §2): a Postgres child process, or PGlite in a worker thread. */
export const EMBEDDED_ENGINES = ['postgres', 'pglite'] as const;

/**
 * `DATABASE_URL`, `TO11_DATA_DIR` and `TO11_EMBEDDED_ENGINE`. The URL is never echoed: it may
 * hold a password.
 */
export const storeEnvSchema = z.object({
  DATABASE_URL: setting(
    z.url({
      protocol: /^postgres(ql)?$/,
      error: 'must be a postgres:// or postgresql:// URL',
    }),
    { description: '`postgres://…`: use Postgres instead of the embedded store' },
  ).optional(),
  TO11_DATA_DIR: setting(z.string().min(1), {
    description: 'Embedded store directory; also holds the generated token secret',
    default: DEFAULT_DATA_DIR,
  }).default(DEFAULT_DATA_DIR),
  TO11_EMBEDDED_ENGINE: setting(z.enum(EMBEDDED_ENGINES), {
    description:
      'Embedded store engine without `DATABASE_URL`: `postgres` (a PostgreSQL server run as a child process, from the npm package of the platform; PGlite where it cannot run) or `pglite`',
    default: 'postgres',
  }).default('postgres'),
});

/** The store settings after validation. */
export type StoreEnv = z.output<typeof storeEnvSchema>;
