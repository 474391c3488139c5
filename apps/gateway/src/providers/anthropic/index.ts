/**
 * Anthropic: `x-api-key` auth, the Messages API (and count_tokens); `claude-*` models.
 */
import type { ProviderAdapter, UpstreamEndpoint } from '../types.ts';

/** Endpoint paths of the Anthropic API. */
export const ANTHROPIC_PATHS: Readonly<Record<UpstreamEndpoint, string | null>> = {
  chat_completions: null,
  messages: '/messages',
  count_tokens: '/messages/count_tokens',
  responses: null,
  embeddings: null,
  image_generation: null,
  audio_speech: null,
  audio_transcription: null,
};

/** The API version sent when the caller did not pick one. */
export const ANTHROPIC_VERSION = '2023-06-01';

/** The Anthropic adapter. */
export const anthropic: ProviderAdapter = {
  format: 'anthropic',
  defaultBaseUrl: 'https://api.anthropic.com/v1',
  authType: 'api_key_header',
  authHeaderName: 'x-api-key',
  requiredHeaders: { 'anthropic-version': ANTHROPIC_VERSION },
  servesModel: (model) => model.startsWith('claude-'),
  endpointPath: (endpoint) => ANTHROPIC_PATHS[endpoint],
};
