import { describe, expect, it } from 'vitest';
import { API_KEY_PATTERN } from './api-key.ts';
import { collectorEnvSchema } from './collector-env.ts';
import { gatewayEnvSchema } from './gateway-env.ts';
import { LOG_LEVELS } from './logging-env.ts';
import { parseEnv } from './parse-env.ts';
import { DEFAULT_DATA_DIR, storeEnvSchema } from './store-env.ts';

describe('the shared environment schemas', () => {
  it('accept the same log levels, silent included, in the gateway and the collector', () => {
    for (const schema of [gatewayEnvSchema, collectorEnvSchema]) {
      for (const level of LOG_LEVELS) {
        const parsed = parseEnv(schema, { TO11_LOG_LEVEL: level });
        expect(parsed.ok && parsed.value.TO11_LOG_LEVEL).toBe(level);
      }
      expect(parseEnv(schema, { TO11_LOG_LEVEL: 'loud' }).ok).toBe(false);
    }
  });

  it('says DATABASE_URL must be a postgres URL without echoing it', () => {
    for (const url of ['mysql://root:hunter2@db/x', 'not a url hunter2']) {
      expect(parseEnv(storeEnvSchema, { DATABASE_URL: url })).toEqual({
        ok: false,
        issues: [{ key: 'DATABASE_URL', message: 'must be a postgres:// or postgresql:// URL' }],
      });
    }
    for (const url of ['postgres://u:p@127.0.0.1:5432/db', 'postgresql://db.example/x']) {
      const parsed = parseEnv(storeEnvSchema, { DATABASE_URL: url });
      expect(parsed.ok && parsed.value.DATABASE_URL).toBe(url);
    }
  });

  it('defaults the data dir and treats empty values as unset', () => {
    const parsed = parseEnv(storeEnvSchema, { TO11_DATA_DIR: '', DATABASE_URL: '' });
    expect(parsed).toEqual({
      ok: true,
      value: { TO11_DATA_DIR: DEFAULT_DATA_DIR, TO11_EMBEDDED_ENGINE: 'postgres' },
    });
  });

  it('reports every invalid variable at once', () => {
    const parsed = parseEnv(collectorEnvSchema, {
      TO11_COLLECTOR_GRPC_PORT: '70000',
      TO11_BOOTSTRAP_API_KEY: 'sk-secret-value',
      TO11_LOG_LEVEL: 'loud',
    });
    expect(parsed.ok ? [] : parsed.issues.map((issue) => issue.key)).toEqual([
      'TO11_COLLECTOR_GRPC_PORT',
      'TO11_BOOTSTRAP_API_KEY',
      'TO11_LOG_LEVEL',
    ]);
    expect(JSON.stringify(parsed)).not.toContain('sk-secret-value');
  });

  it('takes bootstrap keys of the store format only', () => {
    expect(API_KEY_PATTERN.test(`to11_test_${'a'.repeat(20)}`)).toBe(true);
    expect(API_KEY_PATTERN.test(`to11_prod_${'a'.repeat(20)}`)).toBe(false);
    expect(parseEnv(gatewayEnvSchema, { TO11_BOOTSTRAP_API_KEY: 'to11_test_short' }).ok).toBe(
      false,
    );
  });
});
