import { resolve } from 'node:path';
import { ConfigError, type Env, parseEnv, type StoreEnv, storeEnvSchema } from '@to11/config';

/** Where the store lives: Postgres when `databaseUrl` is set, else embedded PGlite in `dataDir`. */
export interface StoreLocation {
  databaseUrl?: string;
  /** Absolute; also holds the generated token secret in embedded mode. */
  dataDir: string;
}

/** The validated store settings with the data dir resolved against `cwd`. */
export function storeLocation(
  settings: { databaseUrl: StoreEnv['DATABASE_URL']; dataDir: StoreEnv['TO11_DATA_DIR'] },
  cwd: string,
): StoreLocation {
  const dataDir = resolve(cwd, settings.dataDir);
  return settings.databaseUrl === undefined
    ? { dataDir }
    : { databaseUrl: settings.databaseUrl, dataDir };
}

/**
 * Reads `DATABASE_URL` and `TO11_DATA_DIR` with the shared store schema (`@to11/config`).
 * Throws `ConfigError` for a URL that is not postgres(ql)://, without echoing it (it may hold a
 * password).
 */
export function storeLocationFromEnv(env: Env, cwd: string): StoreLocation {
  const parsed = parseEnv(storeEnvSchema, env);
  if (!parsed.ok) throw new ConfigError(parsed.issues);
  return storeLocation(
    { databaseUrl: parsed.value.DATABASE_URL, dataDir: parsed.value.TO11_DATA_DIR },
    cwd,
  );
}

/** A printable description of the store, with any password removed from the URL. */
export function describeStore(location: StoreLocation): string {
  if (location.databaseUrl === undefined) return `embedded PGlite in ${location.dataDir}`;
  return `Postgres at ${redactUrl(location.databaseUrl)}`;
}

/** The URL without its password (`postgres://user@host/db`); unparsable text becomes `<invalid URL>`. */
export function redactUrl(url: string): string {
  if (!URL.canParse(url)) return '<invalid URL>';
  const parsed = new URL(url);
  parsed.password = '';
  return parsed.toString();
}
