import { describe, expect, it } from 'vitest';
import { exportEnvSchema, forwardSettings } from './export-env.ts';
import { parseEnv } from './parse-env.ts';

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
