import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigFile, readConfigFile } from './read-config-file.ts';

describe('readConfigFile', () => {
  it('names the file, line and column of a TOML syntax error', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'to11-config-')), 'to11.toml');
    writeFileSync(path, '[server]\nport = 4100\nthis is = = not toml\n');
    expect(readConfigFile(path)).toEqual({
      ok: false,
      issues: [
        { key: 'TO11_CONFIG', message: `${path}:3:6: invalid TOML: illegal character in key` },
      ],
    });
  });

  it('says which file cannot be read', () => {
    expect(readConfigFile('/no/such/to11.toml')).toEqual({
      ok: false,
      issues: [{ key: 'TO11_CONFIG', message: 'cannot read /no/such/to11.toml (ENOENT)' }],
    });
  });

  it('reports every schema problem with its toml path and file', () => {
    const parsed = parseConfigFile(
      '[routes.fast]\nmodels = ["m", ""]\nstrategy = "roundrobin"\ntargets = ["t"]\n[server]\nport = -1\n',
      'x.toml',
    );
    expect(parsed.ok ? [] : parsed.issues.map((issue) => `${issue.file} ${issue.key}`)).toEqual([
      'x.toml server.port',
      'x.toml routes.fast.strategy',
      'x.toml routes.fast.models[1]',
    ]);
  });
});
