import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '@to11/config';

/** Where to find the ingest-token signing secret. */
export interface TokenSecretOptions {
  /** TO11_TOKEN_SECRET, when set: always wins. */
  configured: string | undefined;
  /** The store's data directory; the generated secret lives in `<dataDir>/token-secret`. */
  dataDir: string;
  /** The store engine: an embedded store may generate its secret, a shared Postgres may not. */
  engine: 'postgres' | 'embedded-postgres' | 'pglite';
}

const FILE_NAME = 'token-secret';

/**
 * Resolves the HS256 secret that signs ingest tokens (SPEC §2): the configured value; else, for
 * the embedded store, the one kept in the data dir (generated and written, mode 0600, on first
 * use). With Postgres several processes must share one secret, so it is required.
 * @throws ConfigError when Postgres is used without TO11_TOKEN_SECRET.
 */
export async function resolveTokenSecret(options: TokenSecretOptions): Promise<string> {
  if (options.configured !== undefined && options.configured !== '') return options.configured;
  if (options.engine === 'postgres') {
    throw new ConfigError(
      [
        {
          key: 'TO11_TOKEN_SECRET',
          message:
            'required with Postgres (DATABASE_URL), so every process signs and verifies ingest tokens alike',
        },
      ],
      'invalid configuration',
    );
  }
  const path = join(options.dataDir, FILE_NAME);
  const existing = await readSecretFile(path);
  if (existing !== null) return existing;
  await mkdir(options.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  try {
    // 'wx' fails if another process wrote it first: then theirs is the secret.
    await writeFile(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    const raced = await readSecretFile(path);
    if (raced !== null) return raced;
    throw error;
  }
}

async function readSecretFile(path: string): Promise<string | null> {
  try {
    const text = (await readFile(path, 'utf8')).trim();
    return text === '' ? null : text;
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return null;
    throw error;
  }
}
