import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tomlRows } from './config-table.ts';
import { parseConfigFile } from './read-config-file.ts';

const EXAMPLE = new URL('../../../to11.example.toml', import.meta.url);

/** The example with every `# ` setting switched on (`## ` lines stay notes). */
function uncommented(): string {
  return readFileSync(EXAMPLE, 'utf8').replace(/^# /gm, '');
}

/** Dotted paths of every leaf of a parsed TOML document; an array of tables is `path[].key`. */
function leaves(value: unknown, path: string): string[] {
  if (Array.isArray(value) && value.length > 0 && value.every(isTable)) {
    return [...new Set(value.flatMap((item) => leaves(item, `${path}[]`)))];
  }
  if (!isTable(value)) return [path];
  return Object.entries(value).flatMap(([key, child]) =>
    leaves(child, path === '' ? key : `${path}.${key}`),
  );
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A row's paths: the key itself and, when its value is a table (a documented map such as
 * `headers`) or an array of tables, the keys inside.
 */
function pattern(name: string): RegExp {
  const escaped = name.replace(/[.[\]]/g, '\\$&').replace(/<(id|name)>/g, '[^.]+');
  return new RegExp(`^${escaped}((\\[\\])?\\..+)?$`);
}

describe('to11.example.toml', () => {
  it('has every key commented out, so copying it changes nothing', () => {
    const settings = readFileSync(EXAMPLE, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'));
    expect(settings).toEqual([]);
  });

  it('is valid for the to11.toml schema once uncommented', () => {
    const parsed = parseConfigFile(uncommented(), 'to11.example.toml');
    expect(parsed.ok ? [] : parsed.issues).toEqual([]);
  });

  it('shows every documented key, and only those', () => {
    const parsed = parseConfigFile(uncommented(), 'to11.example.toml');
    const paths = parsed.ok ? leaves(parsed.value, '') : [];
    const patterns = tomlRows().map((row) => ({ name: row.name, re: pattern(row.name) }));
    expect(paths.filter((path) => !patterns.some(({ re }) => re.test(path)))).toEqual([]);
    const missing = patterns.filter(({ re }) => !paths.some((path) => re.test(path)));
    expect(missing.map(({ name }) => name)).toEqual([]);
  });
});
