import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveMigrationsFolder } from './migrations.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('resolveMigrationsFolder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'to11-bundle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the committed migrations from source', () => {
    expect(resolveMigrationsFolder()).toBe(join(root, 'packages/store/drizzle/'));
  });

  it('prefers an explicit folder', () => {
    expect(resolveMigrationsFolder('/somewhere/else')).toBe('/somewhere/else');
  });

  it('finds dist/drizzle from an app bundle made by scripts/bundle.mjs', () => {
    const entry = join(dir, 'main.ts');
    const source = fileURLToPath(new URL('./migrations.ts', import.meta.url));
    writeFileSync(
      entry,
      `import { resolveMigrationsFolder } from ${JSON.stringify(source)};\nconsole.log(resolveMigrationsFolder());\n`,
    );
    execFileSync(process.execPath, [join(root, 'scripts/bundle.mjs'), entry], { cwd: dir });
    const printed = execFileSync(process.execPath, [join(dir, 'dist/main.js')], {
      encoding: 'utf8',
    });
    expect(printed.trim()).toBe(join(dir, 'dist/drizzle/'));
  });
});
