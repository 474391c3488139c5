/**
 * Headers of the upstream request. The caller's headers are forwarded except hop-by-hop ones,
 * the to11 headers, trace context (re-injected with the GenAI span) and credentials, which are
 * re-presented in the provider's auth style: OpenAI `Authorization: Bearer`, Anthropic
 * `x-api-key` (the Anthropic SDK sends `Authorization: Bearer`, so both are accepted).
 */
import type { ProviderSettings } from '../config-types.ts';
import type { UpstreamHeaders } from '../node-io/upstream-call.ts';
import { adapterFor } from '../providers/index.ts';
import type { Secret } from '../secret.ts';

const DROPPED = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
  'accept-encoding',
  // The gateway's node server answers `100-continue` itself; the upstream gets the whole body.
  'expect',
  'authorization',
  'x-api-key',
  'traceparent',
  'tracestate',
  'x-conversation-id',
  'cookie',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
]);

/** The provider key the caller sent (`x-api-key`, else `Authorization: Bearer`), if any. */
export function callerProviderKey(headers: HeaderRecord): string | undefined {
  const apiKey = headers['x-api-key']?.trim();
  if (apiKey) return apiKey;
  const auth = headers.authorization;
  const match = auth ? /^\s*Bearer\s+(\S+)\s*$/i.exec(auth) : null;
  return match?.[1];
}

/** What the upstream request carries besides the caller's headers. */
export interface UpstreamHeaderOptions {
  provider: ProviderSettings;
  /** Managed credential of the target or provider; wins over the caller's key. */
  credential: Secret | null;
  /** The caller's provider key (never the to11 key). */
  callerKey: string | undefined;
  /** `traceparent` naming the GenAI span, unless propagation is off. */
  traceparent: string | undefined;
  tracestate: string | undefined;
  /** Content type of the upstream body; null keeps the caller's (multipart). */
  contentType: string | null;
  /** The caller speaks another wire format: drop the caller's provider-specific headers. */
  crossFormat: boolean;
}

/** Header name → value, lowercase names. */
export type HeaderRecord = Record<string, string>;

/** Builds the upstream request headers from the caller's (see `callerHeaders`). */
export function upstreamHeaders(
  incoming: HeaderRecord,
  options: UpstreamHeaderOptions,
): HeaderRecord {
  const { provider } = options;
  const headers: HeaderRecord = {};
  for (const name in incoming) {
    if (DROPPED.has(name) || name.startsWith('x-to11-')) continue;
    if (options.crossFormat && (name.startsWith('anthropic-') || name.startsWith('openai-')))
      continue;
    headers[name] = incoming[name] as string;
  }
  if (options.contentType) headers['content-type'] = options.contentType;
  // Decoded with zlib if a provider compresses anyway (node-io/upstream-call.ts).
  headers['accept-encoding'] = 'identity';
  const key = options.credential?.reveal() ?? options.callerKey;
  if (key) {
    if (provider.authType === 'bearer') headers.authorization = `Bearer ${key}`;
    else if (provider.authType === 'api_key_header') {
      headers[provider.authHeaderName.toLowerCase()] = key;
    }
  }
  for (const [name, value] of Object.entries(
    adapterFor(provider.id, provider.format).requiredHeaders,
  )) {
    headers[name] ??= value;
  }
  if (options.traceparent && provider.propagateTrace) {
    headers.traceparent = options.traceparent;
    if (options.tracestate) headers.tracestate = options.tracestate;
  }
  return headers;
}

const RESPONSE_DROPPED = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
  'set-cookie',
  'traceparent',
  'tracestate',
  // Set by the gateway itself on every answer.
  'x-to11-request-id',
]);

/** Upstream response headers worth passing to the caller (request ids, rate limits, type). */
export function responseHeaders(upstream: UpstreamHeaders, contentType?: string): HeaderRecord {
  const headers: HeaderRecord = {};
  for (const name in upstream) {
    const value = upstream[name];
    if (value === undefined || RESPONSE_DROPPED.has(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  if (contentType) headers['content-type'] = contentType;
  return headers;
}
