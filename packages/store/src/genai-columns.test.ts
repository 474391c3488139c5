import { describe, expect, it } from 'vitest';
import { genAiColumns } from './genai-columns.ts';

describe('genAiColumns', () => {
  it('copies the GenAI attributes a trace list filters and sums on', () => {
    expect(
      genAiColumns({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.response.model': 'gpt-4o-2024-08-06',
        'gen_ai.usage.input_tokens': 12,
        'gen_ai.usage.output_tokens': '7',
        'gen_ai.usage.cost': 0.0125,
        'gen_ai.session.id': 's-1',
      }),
    ).toEqual({
      operation: 'chat',
      provider: 'openai',
      requestModel: 'gpt-4o',
      responseModel: 'gpt-4o-2024-08-06',
      inputTokens: 12,
      outputTokens: 7,
      cost: 0.0125,
      sessionId: 's-1',
    });
  });

  it('falls back to older attribute names', () => {
    expect(
      genAiColumns({
        'gen_ai.system': 'anthropic',
        'gen_ai.usage.prompt_tokens': 3,
        'gen_ai.usage.completion_tokens': 4,
        'session.id': 'legacy',
      }),
    ).toMatchObject({
      provider: 'anthropic',
      inputTokens: 3,
      outputTokens: 4,
      sessionId: 'legacy',
    });
  });

  it('reads the columns of the libraries people trace with (OpenInference, Vercel AI SDK)', () => {
    expect(
      genAiColumns({
        'openinference.span.kind': 'LLM',
        'llm.system': 'openai',
        'llm.model_name': 'gpt-4o-mini-2024-07-18',
        'llm.token_count.prompt': 11,
        'llm.token_count.completion': 7,
        'session.id': 'chat-42',
      }),
    ).toEqual({
      operation: 'chat',
      provider: 'openai',
      requestModel: 'gpt-4o-mini-2024-07-18',
      responseModel: 'gpt-4o-mini-2024-07-18',
      inputTokens: 11,
      outputTokens: 7,
      // Priced like the gateway's own calls: gpt-4o-mini at $0.15 / $0.60 per million tokens.
      cost: 0.00000585,
      sessionId: 'chat-42',
    });
    expect(
      genAiColumns({
        'ai.operationId': 'ai.generateText',
        'ai.model.provider': 'openai.chat',
        'ai.model.id': 'gpt-4o-mini',
        'ai.usage.inputTokens': 11,
        'ai.usage.outputTokens': 7,
      }),
    ).toMatchObject({ operation: 'chat', provider: 'openai', inputTokens: 11, outputTokens: 7 });
  });

  it('leaves out values that are absent, empty or not counts', () => {
    expect(
      genAiColumns({
        'gen_ai.request.model': '',
        'gen_ai.usage.input_tokens': -1,
        'gen_ai.usage.output_tokens': 1.5,
        'gen_ai.usage.cost': 'lots',
        'gen_ai.provider.name': 42,
      }),
    ).toEqual({
      operation: null,
      provider: null,
      requestModel: null,
      responseModel: null,
      inputTokens: null,
      outputTokens: null,
      cost: null,
      sessionId: null,
    });
  });
});
