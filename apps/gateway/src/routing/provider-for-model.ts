/**
 * Model → provider lookup of the passthrough layer (SPEC §4): a model listed for a provider in
 * `to11.toml` first, then the built-in name patterns; `<provider>::<model>` forces a provider.
 */
import type { ProviderSettings } from '../config-types.ts';
import { BUILTIN_PROVIDERS, isBuiltinProvider } from '../providers/index.ts';

/** A `<prefix>::<rest>` model name split at the first `::`; null without a prefix. */
export function splitModelPrefix(model: string): { prefix: string; rest: string } | null {
  const at = model.indexOf('::');
  if (at <= 0) return null;
  return { prefix: model.slice(0, at), rest: model.slice(at + 2) };
}

/** The provider serving a bare model name, or null when none does. */
export function providerForModel(
  model: string,
  providers: readonly ProviderSettings[],
): ProviderSettings | null {
  for (const provider of providers) {
    if (provider.models.includes(model)) return provider;
  }
  for (const provider of providers) {
    if (isBuiltinProvider(provider.id) && BUILTIN_PROVIDERS[provider.id].servesModel(model)) {
      return provider;
    }
  }
  return null;
}

/**
 * Resolves a model that may carry a `<provider>::` prefix: the provider and the model to send
 * upstream (prefix removed). Null when no provider serves it.
 */
export function resolvePassthrough(
  model: string,
  providers: readonly ProviderSettings[],
): { provider: ProviderSettings; model: string; forced: boolean } | null {
  const split = splitModelPrefix(model);
  if (split) {
    const provider = providers.find((candidate) => candidate.id === split.prefix);
    if (!provider || split.rest === '') return null;
    return { provider, model: split.rest, forced: true };
  }
  const provider = providerForModel(model, providers);
  return provider ? { provider, model, forced: false } : null;
}
