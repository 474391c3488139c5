/**
 * `gen_ai.usage.cost`: the USD cost of a call from its normalised usage and the price table.
 */
import type { Usage } from '../wire/types.ts';
import { type ModelPrice, PRICES } from './prices.ts';

const NAMES_BY_LENGTH = Object.keys(PRICES).sort((a, b) => b.length - a.length);

/** Prices already looked up, by model name (null: no price); bounded. */
const looked = new Map<string, ModelPrice | null>();
const MAX_LOOKED = 1_000;

/** The price of a model: exact name, else the longest table name it starts with (`name-…`). */
export function priceOf(model: string): ModelPrice | undefined {
  const known = looked.get(model);
  if (known !== undefined) return known ?? undefined;
  const exact = PRICES[model];
  const name = exact
    ? model
    : NAMES_BY_LENGTH.find((candidate) => model.startsWith(`${candidate}-`));
  const price = name ? (PRICES[name] ?? null) : null;
  if (looked.size >= MAX_LOOKED) looked.clear();
  looked.set(model, price);
  return price ?? undefined;
}

/**
 * Cost in USD, or undefined when the model has no price or no token was counted.
 * `usage.inputTokens` includes cached tokens; they are billed at the cache prices.
 */
export function costOf(models: readonly (string | undefined)[], usage: Usage): number | undefined {
  if (usage.inputTokens === undefined && usage.outputTokens === undefined) return undefined;
  let price: ModelPrice | undefined;
  for (const model of models) {
    price = model ? priceOf(model) : undefined;
    if (price) break;
  }
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
