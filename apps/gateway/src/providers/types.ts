/**
 * The provider adapter contract. Each provider folder exports one typed {@link ProviderAdapter};
 * the registry in `providers/index.ts` is a closed record of them.
 */

/** Wire format of a provider's API. */
export type WireFormat = 'openai' | 'anthropic';

/** Upstream endpoints the gateway forwards to. */
export type UpstreamEndpoint =
  | 'chat_completions'
  | 'messages'
  | 'count_tokens'
  | 'responses'
  | 'embeddings'
  | 'image_generation'
  | 'audio_speech'
  | 'audio_transcription';

/** Ids of the providers built into the gateway. */
export type BuiltinProviderId = 'openai' | 'anthropic';

/** What the gateway knows about one provider's API. */
export interface ProviderAdapter {
  readonly format: WireFormat;
  /** Base URL including the version path, no trailing slash. */
  readonly defaultBaseUrl: string;
  /** How the provider expects its key. */
  readonly authType: 'bearer' | 'api_key_header';
  /** Header name for `api_key_header` auth. */
  readonly authHeaderName: string;
  /** Headers the provider requires when the caller did not send them. */
  readonly requiredHeaders: Readonly<Record<string, string>>;
  /** True when a model name belongs to this provider without any configuration (SPEC §4). */
  servesModel(model: string): boolean;
  /** Path under the base URL for an endpoint; null when the provider has no such endpoint. */
  endpointPath(endpoint: UpstreamEndpoint): string | null;
}
