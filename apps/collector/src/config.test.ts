import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@to11/config';
import { describe, expect, it } from 'vitest';
import { loadCollectorConfig } from './config.ts';

describe('loadCollectorConfig', () => {
  it('defaults to the ports and limits of SPEC §2 and §6', () => {
    const config = loadCollectorConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      grpcPort: 4317,
      httpPort: 4318,
      maxBodyBytes: 8 * 1024 * 1024,
      databaseUrl: undefined,
      dataDir: './.to11/data',
      tokenSecret: undefined,
    });
  });

  it('reads every TO11_COLLECTOR_* setting and treats empty values as unset', () => {
    const config = loadCollectorConfig({
      TO11_COLLECTOR_GRPC_PORT: '0',
      TO11_COLLECTOR_HTTP_PORT: '9318',
      TO11_COLLECTOR_MAX_BODY_BYTES: '1024',
      TO11_COLLECTOR_MAX_ATTRIBUTES: '8',
      TO11_COLLECTOR_MAX_ATTRIBUTE_LENGTH: '100',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
      TO11_TOKEN_SECRET: '',
    });
    expect(config).toMatchObject({
      grpcPort: 0,
      httpPort: 9318,
      maxBodyBytes: 1024,
      maxAttributesPerSpan: 8,
      maxAttributeValueLength: 100,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
      tokenSecret: undefined,
    });
  });

  it('fails with one line naming the invalid key and the reason', () => {
    expect(() => loadCollectorConfig({ TO11_COLLECTOR_GRPC_PORT: '70000' })).toThrow(ConfigError);
    expect(() => loadCollectorConfig({ TO11_COLLECTOR_GRPC_PORT: 'abc' })).toThrow(
      /TO11_COLLECTOR_GRPC_PORT/,
    );
    expect(() => loadCollectorConfig({ DATABASE_URL: 'mysql://x' })).toThrow(
      /^invalid configuration: DATABASE_URL: must be a postgres/,
    );
  });

  it('rejects a bootstrap key that does not look like a to11 key, without echoing it', () => {
    let message = '';
    try {
      loadCollectorConfig({ TO11_BOOTSTRAP_API_KEY: 'sk-secret-value' });
    } catch (error) {
      message = error instanceof Error ? error.message : '';
    }
    expect(message).toMatch(/TO11_BOOTSTRAP_API_KEY/);
    expect(message).not.toContain('sk-secret-value');
    const key = `to11_test_${'a'.repeat(24)}`;
    expect(loadCollectorConfig({ TO11_BOOTSTRAP_API_KEY: key }).bootstrapApiKey).toBe(key);
  });

  it('accepts TO11_LOG_LEVEL=silent, like the gateway', () => {
    expect(loadCollectorConfig({ TO11_LOG_LEVEL: 'silent' }).logLevel).toBe('silent');
  });

  it('forwards to the [[export.otlp]] tables of TO11_CONFIG beside TO11_EXPORT_OTLP_ENDPOINT', () => {
    const dir = mkdtempSync(join(tmpdir(), 'to11-collector-config-'));
    try {
      const path = join(dir, 'to11.toml');
      writeFileSync(
        path,
        '[[export.otlp]]\nendpoint = "http://tempo:4317"\nprotocol = "grpc"\nheaders = { authorization = "env::TEMPO_TOKEN" }\n',
      );
      const config = loadCollectorConfig({
        TO11_CONFIG: path,
        TO11_EXPORT_OTLP_ENDPOINT: 'http://jaeger:4318',
        TEMPO_TOKEN: 'Bearer t0',
      });
      expect(config.forward?.targets).toEqual([
        { endpoint: 'http://jaeger:4318/v1/traces', protocol: 'http/protobuf', headers: {} },
        {
          endpoint: 'http://tempo:4317',
          protocol: 'grpc',
          headers: { authorization: 'Bearer t0' },
        },
      ]);
      expect(() => loadCollectorConfig({ TO11_CONFIG: path })).toThrow(
        'export.otlp[0].headers.authorization',
      );
      expect(() => loadCollectorConfig({ TO11_CONFIG: join(dir, 'missing.toml') })).toThrow(
        ConfigError,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
