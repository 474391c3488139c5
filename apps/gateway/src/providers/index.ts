/**
 * The provider registry: a closed record of the built-in adapters, plus adapters for the
 * OpenAI- or Anthropic-compatible providers declared in `to11.toml`.
 */
import { ANTHROPIC_PATHS, anthropic } from './anthropic/index.ts';
import { OPENAI_PATHS, openai } from './openai/index.ts';
import type { BuiltinProviderId, ProviderAdapter, WireFormat } from './types.ts';

/** The built-in providers (SPEC §4). */
export const BUILTIN_PROVIDERS: Readonly<Record<BuiltinProviderId, ProviderAdapter>> = {
  openai,
  anthropic,
};

/** True for `openai` and `anthropic`. */
export function isBuiltinProvider(id: string): id is BuiltinProviderId {
  return Object.hasOwn(BUILTIN_PROVIDERS, id);
}

/**
 * The adapter of a provider declared in `to11.toml`: any API speaking one of the two wire
 * formats. It serves only the models listed for it in the config.
 */
export function compatibleAdapter(format: WireFormat): ProviderAdapter {
  const paths = format === 'openai' ? OPENAI_PATHS : ANTHROPIC_PATHS;
  const base = format === 'openai' ? openai : anthropic;
  return {
    ...base,
    defaultBaseUrl: '',
    servesModel: () => false,
    endpointPath: (endpoint) => paths[endpoint],
  };
}

/** The adapter for a provider id: built in, or compatible with the given format. */
export function adapterFor(id: string, format: WireFormat): ProviderAdapter {
  return isBuiltinProvider(id) ? BUILTIN_PROVIDERS[id] : compatibleAdapter(format);
}
