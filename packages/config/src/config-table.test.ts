import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envRows, renderConfigTable, replaceConfigTable, tomlRows } from './config-table.ts';

const README = new URL('../../../README.md', import.meta.url);

describe('the README configuration reference', () => {
  it('is what `pnpm --filter @to11/config gen:readme` writes', () => {
    const readme = readFileSync(README, 'utf8');
    expect(replaceConfigTable(readme, renderConfigTable())).toBe(readme);
  });

  it('lists every SPEC §2 variable with its SPEC default', () => {
    const rows = new Map(envRows().map((row) => [row.name, row.default]));
    expect(Object.fromEntries(rows)).toMatchObject({
      TO11_GATEWAY_HOST: '127.0.0.1',
      TO11_GATEWAY_PORT: '4000',
      TO11_COLLECTOR_GRPC_PORT: '4317',
      TO11_COLLECTOR_HTTP_PORT: '4318',
      TO11_DATA_DIR: './.to11/data',
      TO11_URL: 'http://127.0.0.1:4318',
      TO11_CAPTURE_CONTENT: 'true',
    });
    for (const name of ['DATABASE_URL', 'TO11_CONFIG', 'TO11_TOKEN_SECRET']) {
      expect(rows.has(name)).toBe(true);
    }
    expect(new Set(envRows().map((row) => row.name)).size).toBe(envRows().length);
  });

  it('documents nested to11.toml keys with placeholders for table names', () => {
    const names = tomlRows().map((row) => row.name);
    expect(names).toContain('routes.<name>.retry.max_retries');
    expect(names).toContain('providers.<id>.base_url');
    expect(tomlRows().find((row) => row.name === 'targets.<name>.model')?.required).toBe(true);
  });

  it('refuses a README without the markers', () => {
    expect(() => replaceConfigTable('# no table here\n', 'x')).toThrow(/config-table:start/);
  });
});
