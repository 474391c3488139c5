import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { exportEnvSchema, forwardSettings } from './export-env.ts';
import { parseEnv } from './parse-env.ts';
import { parseConfigFile } from './read-config-file.ts';

describe('TO11_EXPORT_OTLP_*', () => {
  it('forwards nothing when no endpoint is set', () => {
    const parsed = parseEnv(exportEnvSchema, {});
    expect(parsed.ok && forwardSettings(parsed.value)).toBeUndefined();
  });

  it('reads several endpoints, the traces path, headers and the limits', () => {
    const parsed = parseEnv(exportEnvSchema, {
      TO11_EXPORT_OTLP_ENDPOINT: 'http://tempo:4318, https://api.honeycomb.io/v1/traces',
      TO11_EXPORT_OTLP_HEADERS: 'x-honeycomb-team=abc%3D,x-other = two',
      TO11_EXPORT_QUEUE_SPANS: '100',
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    expect(forwardSettings(parsed.value)).toEqual({
      targets: [
        {
          endpoint: 'http://tempo:4318/v1/traces',
          protocol: 'http/protobuf',
          headers: { 'x-honeycomb-team': 'abc=', 'x-other': 'two' },
        },
        {
          endpoint: 'https://api.honeycomb.io/v1/traces',
          protocol: 'http/protobuf',
          headers: { 'x-honeycomb-team': 'abc=', 'x-other': 'two' },
        },
      ],
      maxQueuedSpans: 100,
      maxBatchSpans: 512,
      timeoutMs: 10_000,
    });
  });

  it('keeps a gRPC endpoint as given and rejects bad values without echoing headers', () => {
    const grpc = parseEnv(exportEnvSchema, {
      TO11_EXPORT_OTLP_ENDPOINT: 'http://collector:4317',
      TO11_EXPORT_OTLP_PROTOCOL: 'grpc',
    });
    if (!grpc.ok) throw new Error('grpc settings rejected');
    expect(forwardSettings(grpc.value)?.targets[0]?.endpoint).toBe('http://collector:4317');
    const bad = parseEnv(exportEnvSchema, {
      TO11_EXPORT_OTLP_ENDPOINT: 'tempo:4318',
      TO11_EXPORT_OTLP_HEADERS: '=secret-value',
    });
    expect(bad.ok).toBe(false);
    const keys = bad.ok ? [] : bad.issues.map((issue) => issue.key);
    expect(keys).toEqual(['TO11_EXPORT_OTLP_ENDPOINT', 'TO11_EXPORT_OTLP_HEADERS']);
    expect(JSON.stringify(bad)).not.toContain('secret-value');
  });
});

describe('[[export.otlp]] in to11.toml', () => {
  const FILE = `
[[export.otlp]]
endpoint = "http://tempo:4318"

[[export.otlp]]
endpoint = "https://api.honeycomb.io:443"
protocol = "grpc"
headers = { "x-honeycomb-team" = "env::HONEYCOMB_API_KEY", "x-dataset" = "to11" }
`;
  const defaults = () => {
    const parsed = parseEnv(exportEnvSchema, {});
    if (!parsed.ok) throw new Error('defaults rejected');
    return parsed.value;
  };

  it('forwards to every table, each with its protocol and headers, env:: values resolved', () => {
    const file = parseConfigFile(FILE, 'to11.toml');
    if (!file.ok) throw new Error(JSON.stringify(file.issues));
    expect(
      forwardSettings(defaults(), file.value.export, { HONEYCOMB_API_KEY: 'hc-secret' })?.targets,
    ).toEqual([
      { endpoint: 'http://tempo:4318/v1/traces', protocol: 'http/protobuf', headers: {} },
      {
        endpoint: 'https://api.honeycomb.io:443',
        protocol: 'grpc',
        headers: { 'x-honeycomb-team': 'hc-secret', 'x-dataset': 'to11' },
      },
    ]);
  });

  it('adds the file endpoints to those of TO11_EXPORT_OTLP_ENDPOINT', () => {
    const env = parseEnv(exportEnvSchema, {
      TO11_EXPORT_OTLP_ENDPOINT: 'http://jaeger:4318',
      TO11_EXPORT_OTLP_HEADERS: 'x-env=1',
    });
    if (!env.ok) throw new Error('env rejected');
    const settings = forwardSettings(env.value, { otlp: [{ endpoint: 'http://tempo:4318/' }] });
    expect(settings?.targets).toEqual([
      {
        endpoint: 'http://jaeger:4318/v1/traces',
        protocol: 'http/protobuf',
        headers: { 'x-env': '1' },
      },
      { endpoint: 'http://tempo:4318/v1/traces', protocol: 'http/protobuf', headers: {} },
    ]);
    expect(forwardSettings(defaults(), { otlp: [] })).toBeUndefined();
  });

  it('names the header whose env:: variable is unset, and rejects bad tables', () => {
    const file = parseConfigFile(FILE, 'to11.toml');
    if (!file.ok) throw new Error(JSON.stringify(file.issues));
    let error: unknown;
    try {
      forwardSettings(defaults(), file.value.export, {});
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      {
        key: 'export.otlp[1].headers.x-honeycomb-team',
        message: 'env::HONEYCOMB_API_KEY is not set in the environment',
      },
    ]);
    const bad = parseConfigFile(
      '[[export.otlp]]\nendpoint = "tempo:4318"\nprotocol = "udp"\nheaders = { a = "env::" }\nport = 1\n',
      'to11.toml',
    );
    expect(bad.ok ? [] : bad.issues.map((issue) => issue.key)).toEqual([
      'export.otlp[0].endpoint',
      'export.otlp[0].protocol',
      'export.otlp[0].headers.a',
      'export.otlp[0]',
    ]);
  });
});
