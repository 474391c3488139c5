/**
 * The URL of an upstream endpoint: the provider's base URL (version path included) and the
 * path its adapter gives for the endpoint.
 */
import type { ProviderSettings } from '../config-types.ts';
import { adapterFor } from '../providers/index.ts';
import type { UpstreamEndpoint } from '../providers/types.ts';

/** `provider.baseUrl` followed by the adapter's path for `endpoint` ('' when it has none). */
export function upstreamUrl(provider: ProviderSettings, endpoint: UpstreamEndpoint): string {
  const path = adapterFor(provider.id, provider.format).endpointPath(endpoint);
  return `${provider.baseUrl}${path ?? ''}`;
}
