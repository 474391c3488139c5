/** Parsing an environment with one of this package's schemas. */
import type { z } from 'zod';
import { type ConfigResult, issuesFromZod } from './config-error.ts';

/** Environment variables, as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>;

/** `env` without its empty values: an empty variable counts as unset (SPEC §2). */
export function presentEnv(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

/** Parses `env` with `schema`, every issue keyed by its variable name. */
export function parseEnv<S extends z.ZodType>(schema: S, env: Env): ConfigResult<z.output<S>> {
  const parsed = schema.safeParse(presentEnv(env));
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, issues: issuesFromZod(parsed.error) };
}
