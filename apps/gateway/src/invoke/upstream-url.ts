/**
 * The URL of an upstream endpoint: the provider's base URL (version path included) and the
 * path its adapter gives for the endpoint; with `auth_type = "query_param"` the key rides in
 * the query string (`?key=…`, reference §8.6).
 */
import type { ProviderSettings } from '../config-types.ts';
import { adapterFor } from '../providers/index.ts';
import type { UpstreamEndpoint } from '../providers/types.ts';

/** `provider.baseUrl` followed by the adapter's path for `endpoint` ('' when it has none). */
export function upstreamUrl(provider: ProviderSettings, endpoint: UpstreamEndpoint): string {
  const path = adapterFor(provider.id, provider.format).endpointPath(endpoint);
  return `${provider.baseUrl}${path ?? ''}`;
}

/** `url` with the provider key as a query parameter when the provider wants it there. */
export function withAuthQuery(
  url: string,
  provider: ProviderSettings,
  key: string | undefined,
): string {
  if (provider.authType !== 'query_param' || !key) return url;
  const separator = url.includes('?') ? '&' : '?';
  return `${url}${separator}${encodeURIComponent(provider.authQueryName)}=${encodeURIComponent(key)}`;
}
