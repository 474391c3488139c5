/**
 * `gen_ai.usage.cost`: the USD cost of a call from its normalised usage and the price table.
 */
import type { Usage } from '../formats/types.ts';
import { type ModelPrice, PRICES } from './prices.ts';

const NAMES_BY_LENGTH = Object.keys(PRICES).sort((a, b) => b.length - a.length);

/** The price of a model: exact name, else the longest table name it starts with (`name-…`). */
export function priceOf(model: string): ModelPrice | undefined {
  const exact = PRICES[model];
  if (exact) return exact;
  const name = NAMES_BY_LENGTH.find((candidate) => model.startsWith(`${candidate}-`));
  return name ? PRICES[name] : undefined;
}

/**
 * Cost in USD, or undefined when the model has no price or no token was counted.
 * `usage.inputTokens` includes cached tokens; they are billed at the cache prices.
 */
export function costOf(models: readonly (string | undefined)[], usage: Usage): number | undefined {
  if (usage.inputTokens === undefined && usage.outputTokens === undefined) return undefined;
  const price = models.map((model) => (model ? priceOf(model) : undefined)).find(Boolean);
  if (!price) return undefined;
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const plainInput = Math.max(0, (usage.inputTokens ?? 0) - cacheRead - cacheWrite);
  const micro =
    plainInput * price.input +
    cacheRead * price.cacheRead +
    cacheWrite * price.cacheWrite +
    (usage.outputTokens ?? 0) * price.output;
  return Math.round(micro * 1e3) / 1e9;
}
