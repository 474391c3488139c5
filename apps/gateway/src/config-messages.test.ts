import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@to11/config';
import { describe, expect, it } from 'vitest';
import { loadGatewayConfig } from './config.ts';

function toml(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'to11-config-')), 'to11.toml');
  writeFileSync(path, text);
  return path;
}

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadGatewayConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('gateway configuration messages', () => {
  it('says DATABASE_URL must be a postgres URL, never "Invalid URL", without echoing it', () => {
    const error = errorOf({ DATABASE_URL: 'mysql://root:hunter2@db/x' });
    expect(error.message).toBe('DATABASE_URL: must be a postgres:// or postgresql:// URL');
  });

  it('names the file, line and column of a TOML syntax error', () => {
    const path = toml('[server]\nport = 4100\nthis is = = not toml\n');
    expect(errorOf({ TO11_CONFIG: path }).message).toBe(
      `TO11_CONFIG: ${path}:3:6: invalid TOML: illegal character in key`,
    );
  });

  it('lists every problem of the environment and the file at once', () => {
    const path = toml('[server]\nport = "x"\n[routes.r]\nmodels = ["x"]\nstrategy = "rr"\n');
    const error = errorOf({
      TO11_GATEWAY_PORT: 'eighty',
      TO11_LOG_LEVEL: 'loud',
      TO11_CONFIG: path,
    });
    expect(error.issues.map((issue) => issue.key)).toEqual([
      'TO11_GATEWAY_PORT',
      'TO11_LOG_LEVEL',
      'server.port',
      'routes.r.strategy',
    ]);
    expect(error.message).toContain(`; ${path} server.port: `);
    expect(error.message).not.toContain('\n');
  });

  it('lists every cross-check problem of the file at once', () => {
    const path = toml(
      '[targets.a]\nmodel = "unknown-model"\n[targets.b]\nmodel = "gpt-4o"\ncredential = "env::TO11_TEST_UNSET"\n[routes.r]\nmodels = ["x"]\nstrategy = "single"\ntargets = ["a", "c"]\n',
    );
    expect(errorOf({ TO11_CONFIG: path }).issues.map((issue) => issue.message)).toEqual([
      '"unknown-model" is not served by any provider',
      'environment variable TO11_TEST_UNSET is not set',
      'unknown target "c"',
      'strategy "single" takes exactly one target',
    ]);
  });

  it('names a semantic-cache embeddings model nothing serves, and resolves one that is served', () => {
    const bad = toml('[cache.semantic]\nmodel = "nobody::embed"\nscope = "paragraph"\n');
    expect(errorOf({ TO11_CONFIG: bad }).issues.map((issue) => issue.key)).toEqual([
      'cache.semantic.scope',
    ]);
    const unserved = toml('[cache.semantic]\nmodel = "nobody::embed"\n');
    expect(errorOf({ TO11_CONFIG: unserved }).issues).toMatchObject([
      {
        key: 'cache.semantic.model',
        message: '"nobody::embed" is not served by any route or provider',
      },
    ]);
    const good = toml('[cache.semantic]\nmodel = "text-embedding-3-small"\n');
    expect(loadGatewayConfig({ TO11_CONFIG: good }).cache.semantic).toEqual({
      model: 'text-embedding-3-small',
      similarityThreshold: 0.95,
      scope: 'last_message',
      ttlSeconds: 300,
      maxEntries: 1000,
      store: 'auto',
    });
  });

  it('accepts TO11_LOG_LEVEL=silent', () => {
    expect(loadGatewayConfig({ TO11_LOG_LEVEL: 'silent' }).logLevel).toBe('silent');
  });

  it('runs on the uncommented to11.example.toml', () => {
    const example = new URL('../../../to11.example.toml', import.meta.url);
    const path = toml(readFileSync(example, 'utf8').replace(/^# /gm, ''));
    const config = loadGatewayConfig({
      TO11_CONFIG: path,
      GROQ_API_KEY: 'gsk-test',
      OPENAI_API_KEY: 'sk-test',
      HONEYCOMB_API_KEY: 'hc-test',
    });
    expect(config.forward?.targets.map((target) => [target.endpoint, target.protocol])).toEqual([
      ['http://tempo:4318/v1/traces', 'http/protobuf'],
      ['https://api.honeycomb.io:443', 'grpc'],
    ]);
    expect(config.routes.map((route) => [route.layer, route.name, route.strategy])).toEqual([
      ['function', 'summarize', 'fallback'],
      ['function', 'classify', 'single'],
      ['function', 'triage', 'steps'],
      ['function', 'draft', 'experiment'],
      ['route', 'smart', 'fallback'],
      ['route', 'tiered', 'steps'],
      ['route', 'compare', 'experiment'],
    ]);
    expect(Object.keys(config.environments).sort()).toEqual(['prod', 'staging']);
    expect(config.environments.staging?.providers.map((provider) => provider.id)).not.toContain(
      'gemini',
    );
  });
});
