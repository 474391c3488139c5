import { describe, expect, it } from 'vitest';
import {
  GEN_AI_DURATION_BUCKETS,
  GEN_AI_TIME_PER_OUTPUT_TOKEN_BUCKETS,
  GEN_AI_TIME_TO_FIRST_TOKEN_BUCKETS,
  GEN_AI_TOKEN_USAGE_BUCKETS,
} from './genai-metrics.ts';
import {
  CLIENT_CONTEXT_OPERATIONS,
  GEN_AI_OPERATION_NAMES,
  isClientContextOperation,
  isGenAiOperationName,
} from './genai-operations.ts';
import * as semconv from './semconv.ts';

/** Every span attribute SPEC §5 and §9 name. */
const SPEC_ATTRIBUTES = [
  'gen_ai.operation.name',
  'gen_ai.provider.name',
  'gen_ai.request.model',
  'gen_ai.response.model',
  'gen_ai.response.id',
  'gen_ai.response.finish_reasons',
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.output_tokens',
  'gen_ai.usage.cache_read.input_tokens',
  'gen_ai.usage.cache_creation.input_tokens',
  'gen_ai.request.max_tokens',
  'gen_ai.request.temperature',
  'gen_ai.request.top_p',
  'gen_ai.request.top_k',
  'gen_ai.request.stop_sequences',
  'gen_ai.request.seed',
  'gen_ai.request.frequency_penalty',
  'gen_ai.request.presence_penalty',
  'gen_ai.request.choice.count',
  'gen_ai.output.type',
  'server.address',
  'server.port',
  'error.type',
  'gen_ai.server.time_to_first_token',
  'gen_ai.server.request.duration',
  'gen_ai.server.time_per_output_token',
  'gen_ai.server.output_tokens_per_second',
  'gen_ai.user.id',
  'gen_ai.session.id',
  'gen_ai.conversation.id',
  'deployment.environment.name',
  'gen_ai.usage.cost',
  'gateway.routing.layer',
  'gateway.route.name',
  'gateway.routing.strategy',
  'gateway.target.name',
  'gateway.attempt',
  'gateway.fallback.index',
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'gen_ai.system_instructions',
  'project.id',
];

describe('semconv constants', () => {
  it('has a constant for every attribute the spec names', () => {
    const values = new Set<string>(Object.values(semconv));
    expect(SPEC_ATTRIBUTES.filter((name) => !values.has(name))).toEqual([]);
  });

  it('has no two constants with the same value', () => {
    const values = Object.values(semconv);
    expect(new Set(values).size).toBe(values.length);
  });
});

describe('operations', () => {
  it('lists the ten operations of the spec', () => {
    expect(GEN_AI_OPERATION_NAMES).toHaveLength(10);
    expect(isGenAiOperationName('image_generation')).toBe(true);
    expect(isGenAiOperationName('text_completion')).toBe(false);
  });

  it('recognises the four client-declared operations only', () => {
    expect(CLIENT_CONTEXT_OPERATIONS).toEqual([
      'execute_tool',
      'retrieval',
      'invoke_agent',
      'create_agent',
    ]);
    expect(isClientContextOperation('retrieval')).toBe(true);
    expect(isClientContextOperation('chat')).toBe(false);
  });
});

describe('metric buckets', () => {
  it.each([
    ['duration', GEN_AI_DURATION_BUCKETS, 14, 81.92],
    ['token usage', GEN_AI_TOKEN_USAGE_BUCKETS, 14, 67108864],
    ['time to first token', GEN_AI_TIME_TO_FIRST_TOKEN_BUCKETS, 16, 10],
    ['time per output token', GEN_AI_TIME_PER_OUTPUT_TOKEN_BUCKETS, 13, 2.5],
  ])('uses the semconv %s boundaries, strictly increasing', (_name, buckets, length, last) => {
    expect(buckets).toHaveLength(length);
    expect(buckets.at(-1)).toBe(last);
    expect(buckets.every((b, i) => i === 0 || b > (buckets[i - 1] ?? 0))).toBe(true);
  });
});
