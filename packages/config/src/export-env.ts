/**
 * `TO11_EXPORT_OTLP_*`: forwarding every span a process stores to the user's own OTLP backends
 * (to11 reference §10.1, the dual pipeline). Read by the gateway and the collector alike; unset
 * `TO11_EXPORT_OTLP_ENDPOINT` forwards nothing. Header values are never echoed.
 */
import { z } from 'zod';
import { ConfigError, type ConfigIssue } from './config-error.ts';
import type { ExportSection } from './export-toml.ts';
import type { Env } from './parse-env.ts';
import { setting } from './setting.ts';

const positiveInt = z.coerce.number().int().positive();

/** `k=v,k2=v2` (the `OTEL_EXPORTER_OTLP_HEADERS` format, values percent-decoded). */
const headerList = z.string().transform((value, ctx) => {
  const headers: Record<string, string> = {};
  for (const [index, pair] of value.split(',').entries()) {
    if (pair.trim() === '') continue;
    const equals = pair.indexOf('=');
    const key = pair.slice(0, equals).trim();
    if (equals <= 0 || key === '') {
      ctx.addIssue({ code: 'custom', message: `entry #${index + 1} is not key=value` });
      return z.NEVER;
    }
    headers[key] = decodeURIComponent(pair.slice(equals + 1).trim());
  }
  return headers;
});

const endpointList = z.string().transform((value, ctx) => {
  const endpoints = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  for (const endpoint of endpoints) {
    if (!URL.canParse(endpoint) || !/^https?:$/.test(new URL(endpoint).protocol)) {
      ctx.addIssue({ code: 'custom', message: `${endpoint} is not an http(s) URL` });
      return z.NEVER;
    }
  }
  return endpoints;
});

export const exportEnvSchema = z.object({
  TO11_EXPORT_OTLP_ENDPOINT: setting(endpointList, {
    description:
      'Comma-separated OTLP endpoints every stored span is also forwarded to (`/v1/traces` is appended to an http/protobuf URL without a path)',
  }).optional(),
  TO11_EXPORT_OTLP_PROTOCOL: setting(z.enum(['http/protobuf', 'grpc']), {
    description: 'Forwarding transport: `http/protobuf` or `grpc`',
    default: 'http/protobuf',
  }).default('http/protobuf'),
  TO11_EXPORT_OTLP_HEADERS: setting(headerList, {
    description:
      'Headers (gRPC metadata) sent with every forwarded export, `key=value,key2=value2`',
  }).optional(),
  TO11_EXPORT_QUEUE_SPANS: setting(positiveInt, {
    description: 'Spans waiting per endpoint at most; past it spans are dropped and counted',
    default: '10000',
  }).default(10_000),
  TO11_EXPORT_BATCH_SPANS: setting(positiveInt, {
    description: 'Spans per forwarded export',
    default: '512',
  }).default(512),
  TO11_EXPORT_TIMEOUT_MS: setting(positiveInt, {
    description: 'Longest one forwarded export may take, retries included',
    default: '10000',
  }).default(10_000),
});

/** The forwarding settings after validation. */
export type ExportEnv = z.output<typeof exportEnvSchema>;

/** One endpoint spans are forwarded to. */
export interface ExportTarget {
  /** `http/protobuf`: the traces URL (`…/v1/traces`); `grpc`: `http(s)://host:port`. */
  endpoint: string;
  protocol: ExportEnv['TO11_EXPORT_OTLP_PROTOCOL'];
  /** Sent with every export (HTTP headers, or gRPC metadata). */
  headers: Record<string, string>;
}

/** What a process forwards to, in the units the code uses. */
export interface ForwardSettings {
  targets: ExportTarget[];
  /** Spans waiting per endpoint at most; past it new spans are dropped and counted. */
  maxQueuedSpans: number;
  maxBatchSpans: number;
  /** Longest one export may take, retries included. */
  timeoutMs: number;
}

/** An http/protobuf URL without a path gets the OTLP traces path, as OTel SDKs do. */
function tracesUrl(endpoint: string, protocol: ExportTarget['protocol']): string {
  if (protocol === 'grpc') return endpoint;
  const url = new URL(endpoint);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1/traces';
  return url.toString();
}

/** The `[[export.otlp]]` targets of the file, `env::` header values read from `processEnv`. */
function fileTargets(section: ExportSection | undefined, processEnv: Env): ExportTarget[] {
  const issues: ConfigIssue[] = [];
  const targets = (section?.otlp ?? []).map((table, index) => {
    const protocol = table.protocol ?? 'http/protobuf';
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(table.headers ?? {})) {
      const variable = value.startsWith('env::') ? value.slice('env::'.length) : undefined;
      const resolved = variable === undefined ? value : processEnv[variable];
      if (resolved === undefined || resolved === '') {
        issues.push({
          key: `export.otlp[${index}].headers.${name}`,
          message: `${value} is not set in the environment`,
        });
      } else {
        headers[name] = resolved;
      }
    }
    return { endpoint: tracesUrl(table.endpoint, protocol), protocol, headers };
  });
  if (issues.length > 0) throw new ConfigError(issues, 'invalid configuration');
  return targets;
}

/**
 * The forwarding settings of `env` and the file's `[[export.otlp]]` tables (every endpoint of
 * both); undefined when no endpoint is configured.
 * @throws ConfigError when a header's `env::` variable is not set.
 */
export function forwardSettings(
  env: ExportEnv,
  file?: ExportSection,
  processEnv: Env = {},
): ForwardSettings | undefined {
  const protocol = env.TO11_EXPORT_OTLP_PROTOCOL;
  const targets: ExportTarget[] = [
    ...(env.TO11_EXPORT_OTLP_ENDPOINT ?? []).map((endpoint) => ({
      endpoint: tracesUrl(endpoint, protocol),
      protocol,
      headers: env.TO11_EXPORT_OTLP_HEADERS ?? {},
    })),
    ...fileTargets(file, processEnv),
  ];
  if (targets.length === 0) return undefined;
  return {
    targets,
    maxQueuedSpans: env.TO11_EXPORT_QUEUE_SPANS,
    maxBatchSpans: env.TO11_EXPORT_BATCH_SPANS,
    timeoutMs: env.TO11_EXPORT_TIMEOUT_MS,
  };
}
