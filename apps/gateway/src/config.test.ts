import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@to11/config';
import { describe, expect, it } from 'vitest';
import { loadGatewayConfig } from './config.ts';
import { normalizeBaseUrl } from './config-routing.ts';

function toml(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'to11-config-')), 'to11.toml');
  writeFileSync(path, text);
  return path;
}

function errorOf(env: Record<string, string>): string {
  try {
    loadGatewayConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadGatewayConfig', () => {
  it('uses the SPEC defaults when nothing is set', () => {
    const config = loadGatewayConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 4000,
      workers: 1,
      captureContent: true,
      maxContentBytes: 65536,
      defaultTimeoutMs: 30000,
      dataDir: './.to11/data',
      retry: { maxRetries: 2, backoffBaseMs: 500 },
    });
    expect(config.providers.map((provider) => [provider.id, provider.baseUrl])).toEqual([
      ['openai', 'https://api.openai.com/v1'],
      ['anthropic', 'https://api.anthropic.com/v1'],
    ]);
  });

  it('takes provider base URLs and switches from the environment', () => {
    const config = loadGatewayConfig({
      TO11_GATEWAY_PORT: '0',
      TO11_OPENAI_BASE_URL: 'http://127.0.0.1:9000/',
      TO11_ANTHROPIC_BASE_URL: 'http://127.0.0.1:9001/anthropic/v1',
      TO11_CAPTURE_CONTENT: 'false',
      TO11_CAPTURE_CONTENT_MAX_BYTES: '1024',
    });
    expect(config.port).toBe(0);
    expect(config.providers[0]?.baseUrl).toBe('http://127.0.0.1:9000/v1');
    expect(config.providers[1]?.baseUrl).toBe('http://127.0.0.1:9001/anthropic/v1');
    expect(config.captureContent).toBe(false);
    expect(config.maxContentBytes).toBe(1024);
  });

  it('names the environment variable that is invalid', () => {
    expect(errorOf({ TO11_GATEWAY_PORT: 'eighty' })).toMatch(/^TO11_GATEWAY_PORT: /);
    expect(errorOf({ TO11_OPENAI_BASE_URL: 'not a url' })).toMatch(/^TO11_OPENAI_BASE_URL: /);
    expect(errorOf({ TO11_BOOTSTRAP_API_KEY: 'secret' })).toMatch(/^TO11_BOOTSTRAP_API_KEY: /);
    expect(errorOf({ TO11_CONFIG: '/no/such/to11.toml' })).toMatch(/^TO11_CONFIG: cannot read/);
  });

  it('runs several gateway workers only on Postgres', () => {
    const postgres = 'postgres://postgres@127.0.0.1:5432/postgres';
    expect(loadGatewayConfig({ TO11_GATEWAY_WORKERS: '3', DATABASE_URL: postgres }).workers).toBe(
      3,
    );
    const auto = loadGatewayConfig({ TO11_GATEWAY_WORKERS: 'auto', DATABASE_URL: postgres });
    expect(auto.workers).toBeGreaterThanOrEqual(1);
    expect(loadGatewayConfig({ TO11_GATEWAY_WORKERS: '1' }).workers).toBe(1);
    expect(errorOf({ TO11_GATEWAY_WORKERS: '2' })).toMatch(
      /^TO11_GATEWAY_WORKERS: more than one worker needs DATABASE_URL/,
    );
    expect(errorOf({ TO11_GATEWAY_WORKERS: '0', DATABASE_URL: postgres })).toMatch(
      /^TO11_GATEWAY_WORKERS: /,
    );
    expect(errorOf({ TO11_GATEWAY_WORKERS: 'many', DATABASE_URL: postgres })).toMatch(
      /^TO11_GATEWAY_WORKERS: /,
    );
  });

  it('reads providers, targets, routes and telemetry switches from to11.toml', () => {
    const path = toml(`
[server]
port = 4100
[providers.groq]
base_url = "https://api.groq.com/openai/v1"
models = ["llama-3.3-70b"]
propagate_trace = false
timeout_ms = 5000
[models."gpt-4o"]
timeout_ms = 60000
[targets.primary]
model = "gpt-4o"
weight = 3
[targets.backup]
model = "claude-sonnet-4-6"
[routes.chatty]
models = ["smart"]
strategy = "fallback"
targets = ["primary", "backup"]
[routes.chatty.retry]
max_retries = 1
[genai_telemetry]
capture_content = false
`);
    const config = loadGatewayConfig({ TO11_CONFIG: path });
    expect(config.port).toBe(4100);
    expect(config.captureContent).toBe(false);
    expect(config.providers.find((provider) => provider.id === 'groq')).toMatchObject({
      format: 'openai',
      models: ['llama-3.3-70b'],
      propagateTrace: false,
      timeoutMs: 5000,
      authType: 'bearer',
    });
    expect(config.modelTimeouts).toEqual({ 'gpt-4o': 60000 });
    expect(config.targets.backup).toMatchObject({ providerId: 'anthropic', weight: 1 });
    expect(config.routes).toEqual([
      {
        name: 'chatty',
        layer: 'route',
        endpoint: 'chat',
        models: ['smart'],
        strategy: 'fallback',
        steps: [
          {
            strategy: 'fallback',
            members: [
              { target: 'primary', weight: 3 },
              { target: 'backup', weight: 1 },
            ],
          },
        ],
        experiment: 'chatty',
        retry: { maxRetries: 1, backoffBaseMs: 500 },
      },
    ]);
  });

  it('lets TO11_CAPTURE_CONTENT override the file', () => {
    const path = toml('[genai_telemetry]\ncapture_content = false\n');
    expect(
      loadGatewayConfig({ TO11_CONFIG: path, TO11_CAPTURE_CONTENT: 'true' }).captureContent,
    ).toBe(true);
  });

  it.each([
    ['[providers.openai]\nbase_url = 42\n', /providers\.openai\.base_url: /],
    ['[providers.mystery]\nmodels = ["m"]\n', /providers\.mystery\.base_url: required/],
    [
      '[routes.r]\nmodels = ["x"]\nstrategy = "roundrobin"\ntargets = ["t"]\n',
      /routes\.r\.strategy: /,
    ],
    [
      '[targets.t]\nmodel = "gpt-4o"\n[routes.r]\nmodels = ["x"]\nstrategy = "single"\ntargets = ["t", "u"]\n',
      /routes\.r\.targets: unknown target "u"/,
    ],
    ['[targets.t]\nmodel = "unknown-model"\n', /targets\.t\.model: "unknown-model" is not served/],
    [
      '[targets.t]\nmodel = "gpt-4o"\ncredential = "env::TO11_TEST_MISSING_KEY"\n',
      /targets\.t\.credential: environment variable TO11_TEST_MISSING_KEY is not set/,
    ],
    ['[providers.openai]\nbase_urll = "https://x"\n', /providers\.openai: /],
    ['[functions.f]\nendpoint = "chat"\n', /functions\.f: needs exactly one of `models`/],
    [
      '[targets.t]\nmodel = "gpt-4o"\n[routes.r]\nmodels = ["x"]\nstrategy = "fallback"\ntargets = ["t"]\nsteps = [{ strategy = "single", targets = ["t"] }]\n',
      /routes\.r: needs exactly one of `targets`, `steps`, `variants` \(got 2\)/,
    ],
    [
      '[routes.r]\nmodels = ["x"]\nvariants = [{ name = "a", model = "gpt-4o" }, { name = "a", target = "t" }]\n',
      /routes\.r\.variants\[1\]: variant "a" appears twice; .*routes\.r\.variants\[1\]: unknown target "t"/,
    ],
    [
      '[environments.qa]\ndisable_providers = ["nope"]\n',
      /environments\.qa\.disable_providers: unknown provider "nope"/,
    ],
    [
      '[providers.openai]\nauth_query_name = "k"\n',
      /providers\.openai\.auth_query_name: only used with/,
    ],
    ['this is = = not toml', /invalid TOML/],
    ['[guardrails]\npii = "maybe"\n', /guardrails\.pii: /],
    ['[guardrails.pii_actions]\npassport = "block"\n', /guardrails\.pii_actions: /],
    ['[cache]\nttl_seconds = 0\n', /cache\.ttl_seconds: /],
  ])('rejects an invalid to11.toml in one line naming the key (%#)', (text, pattern) => {
    const message = errorOf({ TO11_CONFIG: toml(text) });
    expect(message).toMatch(pattern);
    expect(message).not.toContain('\n');
  });

  it('resolves [guardrails] and [cache] with their defaults', () => {
    const config = loadGatewayConfig({
      TO11_CONFIG: toml(
        '[guardrails]\nblocklist = ["Secret Plan"]\npii = "flag"\n[guardrails.pii_actions]\nssn = "block"\n[cache]\nexact = true\n',
      ),
    });
    expect(config.guardrails).toEqual({
      blocklist: ['secret plan'],
      pii: { ssn: 'block', credit_card: 'flag', email: 'flag', ip_address: 'flag', phone: 'flag' },
      output: false,
      enabled: true,
    });
    expect(config.cache).toMatchObject({
      exact: true,
      ttlSeconds: 300,
      redisPrefix: 'to11:cache:',
    });
    expect(loadGatewayConfig({}).guardrails.enabled).toBe(false);
  });

  it('resolves managed credentials without ever printing them', () => {
    const path = toml('[providers.openai]\ncredential = "env::TO11_TEST_OPENAI_KEY"\n');
    const config = loadGatewayConfig({
      TO11_CONFIG: path,
      TO11_TEST_OPENAI_KEY: 'sk-managed-1234',
    });
    expect(config.providers[0]?.credential?.reveal()).toBe('sk-managed-1234');
    expect(JSON.stringify(config)).not.toContain('sk-managed-1234');
  });
});

describe('normalizeBaseUrl', () => {
  it('appends /v1 to a bare origin and drops trailing slashes', () => {
    expect(normalizeBaseUrl('http://127.0.0.1:9000')).toBe('http://127.0.0.1:9000/v1');
    expect(normalizeBaseUrl('https://api.example.com/openai/v1/')).toBe(
      'https://api.example.com/openai/v1',
    );
  });
});
