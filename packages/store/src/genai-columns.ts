/**
 * The GenAI columns of a span row, read from its attributes at write time (SPEC §7) so the
 * trace list can filter and sum without opening the jsonb. Attribute names follow the OTel GenAI
 * semantic conventions; the older `gen_ai.system` / prompt/completion token names are accepted
 * as fallbacks for spans ingested from older instrumentations.
 */
import type { Attributes, AttributeValue } from '@to11/trace-core';

/** The derived columns; null when the span does not carry the attribute. */
export interface GenAiColumns {
  operation: string | null;
  provider: string | null;
  requestModel: string | null;
  responseModel: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cost: number | null;
  sessionId: string | null;
}

const INT32_MAX = 2_147_483_647;

function firstString(attributes: Attributes, names: string[]): string | null {
  for (const name of names) {
    const value = attributes[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}

function toNumber(value: AttributeValue | undefined): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

function tokenCount(attributes: Attributes, names: string[]): number | null {
  for (const name of names) {
    const value = toNumber(attributes[name]);
    if (value !== null && Number.isInteger(value) && value >= 0 && value <= INT32_MAX) return value;
  }
  return null;
}

// Attribute names, newest first (module constants: an array literal in the call would be
// allocated for every span written).
const OPERATION = ['gen_ai.operation.name'];
const PROVIDER = ['gen_ai.provider.name', 'gen_ai.system'];
const REQUEST_MODEL = ['gen_ai.request.model'];
const RESPONSE_MODEL = ['gen_ai.response.model'];
const INPUT_TOKENS = ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens'];
const OUTPUT_TOKENS = ['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens'];
const SESSION_ID = ['gen_ai.session.id', 'session.id'];

/** Reads the GenAI columns of one span's attributes. */
export function genAiColumns(attributes: Attributes): GenAiColumns {
  const cost = toNumber(attributes['gen_ai.usage.cost']);
  return {
    operation: firstString(attributes, OPERATION),
    provider: firstString(attributes, PROVIDER),
    requestModel: firstString(attributes, REQUEST_MODEL),
    responseModel: firstString(attributes, RESPONSE_MODEL),
    inputTokens: tokenCount(attributes, INPUT_TOKENS),
    outputTokens: tokenCount(attributes, OUTPUT_TOKENS),
    cost: cost !== null && cost >= 0 ? cost : null,
    sessionId: firstString(attributes, SESSION_ID),
  };
}
