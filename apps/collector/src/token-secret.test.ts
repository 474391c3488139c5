import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@to11/config';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveTokenSecret } from './token-secret.ts';

describe('resolveTokenSecret', () => {
  let dataDir = '';
  beforeEach(async () => {
    dataDir = join(await mkdtemp(join(tmpdir(), 'to11-secret-')), 'data');
  });
  afterEach(async () => {
    await rm(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('uses the configured secret on either engine', async () => {
    await expect(
      resolveTokenSecret({ configured: 'configured-secret', dataDir, engine: 'postgres' }),
    ).resolves.toBe('configured-secret');
  });

  it('requires TO11_TOKEN_SECRET with Postgres', async () => {
    await expect(
      resolveTokenSecret({ configured: undefined, dataDir, engine: 'postgres' }),
    ).rejects.toThrow(ConfigError);
  });

  it('generates the embedded secret once, keeps it in the data dir and reuses it', async () => {
    const first = await resolveTokenSecret({ configured: undefined, dataDir, engine: 'pglite' });
    const second = await resolveTokenSecret({ configured: undefined, dataDir, engine: 'pglite' });
    expect(first).toHaveLength(43);
    expect(second).toBe(first);
    const path = join(dataDir, 'token-secret');
    expect((await readFile(path, 'utf8')).trim()).toBe(first);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });
});
