/**
 * List prices in USD per million tokens, for `gen_ai.usage.cost`. A small table of current
 * OpenAI and Anthropic models; dated snapshots (`gpt-4o-2024-08-06`,
 * `claude-sonnet-4-5-20250929`) resolve to the longest matching name. A model that is not here
 * gets no cost attribute rather than a wrong one.
 */

/** Price of one model, USD per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  /** Cached input read (OpenAI cached tokens, Anthropic cache reads). */
  cacheRead: number;
  /** Cache creation (Anthropic); OpenAI bills none beyond the input price. */
  cacheWrite: number;
}

const openai = (input: number, output: number, cacheRead: number): ModelPrice => ({
  input,
  output,
  cacheRead,
  cacheWrite: input,
});
const anthropic = (input: number, output: number): ModelPrice => ({
  input,
  output,
  cacheRead: input * 0.1,
  cacheWrite: input * 1.25,
});

/** The price table (model name → price). */
export const PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-5': openai(1.25, 10, 0.125),
  'gpt-5-mini': openai(0.25, 2, 0.025),
  'gpt-5-nano': openai(0.05, 0.4, 0.005),
  'gpt-4.1': openai(2, 8, 0.5),
  'gpt-4.1-mini': openai(0.4, 1.6, 0.1),
  'gpt-4.1-nano': openai(0.1, 0.4, 0.025),
  'gpt-4o': openai(2.5, 10, 1.25),
  'gpt-4o-mini': openai(0.15, 0.6, 0.075),
  o3: openai(2, 8, 0.5),
  'o4-mini': openai(1.1, 4.4, 0.275),
  'text-embedding-3-small': openai(0.02, 0, 0.02),
  'text-embedding-3-large': openai(0.13, 0, 0.13),
  'claude-opus-4-1': anthropic(15, 75),
  'claude-opus-4': anthropic(15, 75),
  'claude-opus-4-5': anthropic(5, 25),
  'claude-sonnet-4-5': anthropic(3, 15),
  'claude-sonnet-4': anthropic(3, 15),
  'claude-3-7-sonnet': anthropic(3, 15),
  'claude-haiku-4-5': anthropic(1, 5),
  'claude-3-5-haiku': anthropic(0.8, 4),
};
