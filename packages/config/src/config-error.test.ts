import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, issuesFromZod, keyOf } from './config-error.ts';

describe('ConfigError', () => {
  it('lists every issue with its key on one line', () => {
    const error = new ConfigError([
      { key: 'TO11_GATEWAY_PORT', message: 'must be a number' },
      { key: 'routes.fast.targets[0]', message: 'unknown target\n"x"', file: 'to11.toml' },
    ]);
    expect(error.message).toBe(
      'TO11_GATEWAY_PORT: must be a number; to11.toml routes.fast.targets[0]: unknown target "x"',
    );
    expect(error.issues).toHaveLength(2);
  });

  it('puts a heading before the list, and keeps the issues under a new heading', () => {
    const error = new ConfigError([{ key: 'DATABASE_URL', message: 'bad' }]);
    expect(error.message).toBe('DATABASE_URL: bad');
    const headed = error.withHeading('invalid configuration');
    expect(headed.message).toBe('invalid configuration: DATABASE_URL: bad');
    expect(headed.issues).toEqual(error.issues);
    expect(headed).toBeInstanceOf(ConfigError);
  });
});

describe('issuesFromZod', () => {
  it('keys each issue by its toml path, array indexes in brackets', () => {
    const schema = z.object({ routes: z.record(z.string(), z.object({ t: z.array(z.int()) })) });
    const parsed = schema.safeParse({ routes: { fast: { t: [1, 'x', 'y'] } } });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(issuesFromZod(parsed.error, 'a.toml').map((issue) => issue.key)).toEqual([
      'routes.fast.t[1]',
      'routes.fast.t[2]',
    ]);
    expect(keyOf([])).toBe('');
  });
});
