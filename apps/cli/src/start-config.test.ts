import { ConfigError } from '@to11/config';
import { describe, expect, it } from 'vitest';
import { loadStartConfig, rewordConfigError } from './start-config.ts';

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadStartConfig(env, '/srv');
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadStartConfig', () => {
  it('lists the problems of the gateway and the collector once each, in one line', () => {
    const error = errorOf({
      TO11_GATEWAY_PORT: 'x',
      DATABASE_URL: 'mysql://root:hunter2@db/x',
      TO11_COLLECTOR_HTTP_PORT: '70000',
    });
    expect(error.issues.map((issue) => issue.key)).toEqual([
      'TO11_GATEWAY_PORT',
      'DATABASE_URL',
      'TO11_COLLECTOR_HTTP_PORT',
    ]);
    expect(error.message).toMatch(
      /^invalid configuration: TO11_GATEWAY_PORT: [^;]+; DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL; TO11_COLLECTOR_HTTP_PORT: /,
    );
    expect(error.message).not.toContain('hunter2');
  });

  it('resolves the data dir against the working directory and keeps the bootstrap key', () => {
    const key = `to11_test_${'b'.repeat(24)}`;
    const config = loadStartConfig(
      { TO11_BOOTSTRAP_API_KEY: key, TO11_LOG_LEVEL: 'silent' },
      '/srv',
    );
    expect(config.store).toEqual({ dataDir: '/srv/.to11/data', embeddedEngine: 'postgres' });
    expect(config.bootstrapApiKey).toBe(key);
    expect(config.logLevel).toBe('silent');
  });

  it('takes the embedded engine from TO11_EMBEDDED_ENGINE and refuses an unknown one', () => {
    const pglite = loadStartConfig({ TO11_EMBEDDED_ENGINE: 'pglite' }, '/srv');
    expect(pglite.store.embeddedEngine).toBe('pglite');
    expect(() => loadStartConfig({ TO11_EMBEDDED_ENGINE: 'sqlite' }, '/srv')).toThrow(
      /TO11_EMBEDDED_ENGINE/,
    );
  });

  it('puts a package ConfigError under the invalid configuration heading', () => {
    const reworded = rewordConfigError(
      new ConfigError([{ key: 'TO11_TOKEN_SECRET', message: 'x' }]),
    );
    expect(reworded).toBeInstanceOf(ConfigError);
    expect((reworded as Error).message).toBe('invalid configuration: TO11_TOKEN_SECRET: x');
  });
});
