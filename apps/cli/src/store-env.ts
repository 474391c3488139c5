import { resolve } from 'node:path';
import { ConfigError } from './config-error.ts';

/** Where the store lives: Postgres when `databaseUrl` is set, else embedded PGlite in `dataDir`. */
export interface StoreLocation {
  databaseUrl?: string;
  /** Absolute; also holds the generated token secret in embedded mode. */
  dataDir: string;
}

/**
 * Reads `DATABASE_URL` and `TO11_DATA_DIR` (default `./.to11/data`, resolved against `cwd`).
 * Empty values count as unset. Throws `ConfigError` for a URL that is not postgres(ql)://,
 * without echoing it (it may hold a password).
 */
export function storeLocationFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): StoreLocation {
  const dataDir = resolve(cwd, env.TO11_DATA_DIR || './.to11/data');
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl === undefined) return { dataDir };
  if (!URL.canParse(databaseUrl) || !/^postgres(ql)?:$/.test(new URL(databaseUrl).protocol)) {
    throw new ConfigError('DATABASE_URL: must be a postgres:// or postgresql:// URL');
  }
  return { databaseUrl, dataDir };
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
