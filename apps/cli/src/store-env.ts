import { resolve } from 'node:path';
import { ConfigError, type Env, parseEnv, type StoreEnv, storeEnvSchema } from '@to11/config';
import type { StoreEngine } from '@to11/store';

/** Where the store lives: Postgres when `databaseUrl` is set, else the embedded store in `dataDir`. */
export interface StoreLocation {
  databaseUrl?: string;
  /** Absolute; also holds the generated token secret in embedded mode. */
  dataDir: string;
  /** The embedded store's engine (TO11_EMBEDDED_ENGINE). */
  embeddedEngine: StoreEnv['TO11_EMBEDDED_ENGINE'];
}

/** The validated store settings with the data dir resolved against `cwd`. */
export function storeLocation(
  settings: {
    databaseUrl: StoreEnv['DATABASE_URL'];
    dataDir: StoreEnv['TO11_DATA_DIR'];
    embeddedEngine: StoreEnv['TO11_EMBEDDED_ENGINE'];
  },
  cwd: string,
): StoreLocation {
  const dataDir = resolve(cwd, settings.dataDir);
  const { embeddedEngine } = settings;
  return settings.databaseUrl === undefined
    ? { dataDir, embeddedEngine }
    : { databaseUrl: settings.databaseUrl, dataDir, embeddedEngine };
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
    {
      databaseUrl: parsed.value.DATABASE_URL,
      dataDir: parsed.value.TO11_DATA_DIR,
      embeddedEngine: parsed.value.TO11_EMBEDDED_ENGINE,
    },
    cwd,
  );
}

/**
 * A printable description of the store as opened (`engine`: the engine it runs on), with any
 * password removed from the URL.
 */
export function describeStore(location: StoreLocation, engine: StoreEngine): string {
  if (location.databaseUrl !== undefined) return `Postgres at ${redactUrl(location.databaseUrl)}`;
  const name = engine === 'pglite' ? 'PGlite' : 'Postgres';
  return `embedded ${name} in ${location.dataDir}`;
}

/** The URL without its password (`postgres://user@host/db`); unparsable text becomes `<invalid URL>`. */
export function redactUrl(url: string): string {
  if (!URL.canParse(url)) return '<invalid URL>';
  const parsed = new URL(url);
  parsed.password = '';
  return parsed.toString();
}
