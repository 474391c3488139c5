import { describe, expect, it } from 'vitest';
import {
  type RecordedLibrary,
  recordedSpans,
  spanNamed,
} from '../../test/fixtures/genai-libraries/recorded-spans.ts';
import { type GenAiEvent, genAiMessages, genAiView, normalizeProvider } from './index.ts';

const PROMPT = [
  { role: 'system', parts: [{ type: 'text', content: 'You are terse.' }] },
  { role: 'user', parts: [{ type: 'text', content: 'Say hello' }] },
];
const ANSWER = [{ role: 'assistant', parts: [{ type: 'text', content: 'Hello there!' }] }];

// One call recorded from each real library (versions in the fixture files): what the store's
// columns and the explorer's conversation view read from its LLM span.
const RECORDED: [RecordedLibrary, string, Record<string, unknown>][] = [
  [
    'vercel-ai',
    'ai.generateText.doGenerate',
    {
      convention: 'vercel_ai',
      operation: 'chat',
      provider: 'openai',
      requestModel: 'gpt-4o-mini',
      responseModel: 'gpt-4o-mini-2024-07-18',
      sessionId: 'sess-fixture',
      userId: 'user-fixture',
    },
  ],
  [
    'openinference',
    'OpenAI Chat Completions',
    {
      convention: 'openinference',
      operation: 'chat',
      provider: 'openai',
      requestModel: 'gpt-4o-mini',
      responseModel: 'gpt-4o-mini-2024-07-18',
    },
  ],
  [
    'openllmetry',
    'chat gpt-4o-mini',
    {
      convention: 'gen_ai',
      operation: 'chat',
      provider: 'openai',
      requestModel: 'gpt-4o-mini',
      responseModel: 'gpt-4o-mini-2024-07-18',
    },
  ],
  [
    'langfuse',
    'chat gpt-4o-mini',
    {
      convention: 'langfuse',
      operation: 'chat',
      provider: null,
      requestModel: 'gpt-4o-mini',
      cost: 0.0000057,
    },
  ],
];

describe('genAiView of recorded library spans', () => {
  it.each(RECORDED)('reads the %s span %s', (library, name, expected) => {
    const { versions, spans } = recordedSpans(library);
    expect(Object.keys(versions).length).toBeGreaterThan(0);
    const span = spanNamed(spans, name);
    expect(genAiView(span.attributes)).toMatchObject({
      inputTokens: 11,
      outputTokens: 7,
      ...expected,
    });
    const { input, output } = genAiMessages(span.attributes);
    expect(input).toEqual(PROMPT);
    expect(output?.map(({ role, parts }) => ({ role, parts }))).toEqual(ANSWER);
  });

  it('reads the Vercel AI SDK outer span, which carries the usage of all its steps', () => {
    const span = spanNamed(recordedSpans('vercel-ai').spans, 'ai.generateText');
    expect(genAiView(span.attributes)).toMatchObject({
      convention: 'vercel_ai',
      operation: 'chat',
      provider: 'openai',
      inputTokens: 11,
      outputTokens: 7,
    });
    expect(genAiMessages(span.attributes)).toEqual({
      input: PROMPT,
      output: [{ ...ANSWER[0], finish_reason: 'stop' }],
    });
  });
});

describe('genAiView of hand-written attributes', () => {
  it('reads the older GenAI names and indexed prompt/completion messages', () => {
    const attributes = {
      'gen_ai.system': 'Anthropic',
      'gen_ai.request.model': 'claude-3-5-haiku',
      'gen_ai.usage.prompt_tokens': '12',
      'gen_ai.usage.completion_tokens': 4,
      'gen_ai.prompt.0.role': 'user',
      'gen_ai.prompt.0.content': 'Weather?',
      'gen_ai.completion.0.role': 'assistant',
      'gen_ai.completion.0.finish_reason': 'tool_calls',
      'gen_ai.completion.0.tool_calls.0.id': 'call_1',
      'gen_ai.completion.0.tool_calls.0.name': 'weather',
      'gen_ai.completion.0.tool_calls.0.arguments': '{"city":"Paris"}',
    };
    expect(genAiView(attributes)).toMatchObject({
      convention: 'gen_ai',
      provider: 'anthropic',
      inputTokens: 12,
      outputTokens: 4,
    });
    expect(genAiMessages(attributes)).toEqual({
      input: [{ role: 'user', parts: [{ type: 'text', content: 'Weather?' }] }],
      output: [
        {
          role: 'assistant',
          finish_reason: 'tool_calls',
          parts: [
            { type: 'tool_call', id: 'call_1', name: 'weather', arguments: { city: 'Paris' } },
          ],
        },
      ],
    });
  });

  it('prefers the OTel GenAI names when a span carries several conventions', () => {
    const view = genAiView({
      'gen_ai.usage.input_tokens': 5,
      'ai.operationId': 'ai.generateText.doGenerate',
      'ai.usage.inputTokens': 99,
      'llm.token_count.prompt': 98,
    });
    expect(view.inputTokens).toBe(5);
    // The library named is the first of CONVENTIONS' order that the span speaks.
    expect(view.convention).toBe('openinference');
  });

  it('reads OpenInference tool calls and cache tokens, OpenLLMetry sessions', () => {
    const attributes = {
      'openinference.span.kind': 'LLM',
      'llm.token_count.prompt_details.cache_read': 64,
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.tool_calls.0.tool_call.id': 'call_9',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'search',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': '{"q":"x"}',
    };
    expect(genAiView(attributes).cacheReadInputTokens).toBe(64);
    expect(genAiMessages(attributes).output).toEqual([
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 'call_9', name: 'search', arguments: { q: 'x' } }],
      },
    ]);
    expect(
      genAiView({
        'llm.request.type': 'chat',
        'traceloop.association.properties.session_id': 's-1',
      }),
    ).toMatchObject({ convention: 'openllmetry', operation: 'chat', sessionId: 's-1' });
  });

  it('keeps gen_ai.provider.name as written (a gateway provider id) and normalises the rest', () => {
    expect(genAiView({ 'gen_ai.provider.name': 'azure' }).provider).toBe('azure');
    expect(genAiView({ 'gen_ai.provider.name': 'openai.chat' }).provider).toBe('openai');
    expect(genAiView({ 'gen_ai.provider.name': 'aws.bedrock' }).provider).toBe('aws.bedrock');
    expect(genAiView({ 'gen_ai.system': 'azure' }).provider).toBe('azure.ai.openai');
    expect(genAiView({ 'ai.model.provider': 'openai.responses' }).provider).toBe('openai');
  });

  it('rejects token counts that are not non-negative int32s and leaves plain spans alone', () => {
    expect(genAiView({ 'gen_ai.usage.input_tokens': -1 }).inputTokens).toBeNull();
    expect(genAiView({ 'gen_ai.usage.input_tokens': 1.5 }).inputTokens).toBeNull();
    expect(genAiView({ 'gen_ai.usage.input_tokens': 2 ** 31 }).inputTokens).toBeNull();
    expect(genAiView({ 'http.route': '/x' })).toMatchObject({ convention: null, operation: null });
  });
});

describe('genAiMessages of the semconv event forms', () => {
  it('reads one event per message, body as JSON, as an object or flattened', () => {
    const events: GenAiEvent[] = [
      { name: 'gen_ai.system.message', attributes: { body: '{"content":"You are terse."}' } },
      {
        name: 'gen_ai.user.message',
        attributes: { 'gen_ai.system': 'openai', body: { content: 'Weather in Paris?' } },
      },
      {
        name: 'gen_ai.assistant.message',
        attributes: {
          'tool_calls.0.id': 'call_1',
          'tool_calls.0.type': 'function',
          'tool_calls.0.function.name': 'weather',
          'tool_calls.0.function.arguments': '{"city":"Paris"}',
        },
      },
      {
        name: 'gen_ai.tool.message',
        attributes: { 'event.body': '{"content":"18C","id":"call_1"}' },
      },
      {
        name: 'gen_ai.choice',
        attributes: {
          'gen_ai.system': 'openai',
          body: '{"index":0,"finish_reason":"stop","message":{"content":"18C and sunny."}}',
        },
      },
      { name: 'exception', attributes: { 'exception.message': 'unrelated' } },
    ];
    expect(genAiMessages({ 'gen_ai.system': 'openai' }, events)).toEqual({
      input: [
        { role: 'system', parts: [{ type: 'text', content: 'You are terse.' }] },
        { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
        {
          role: 'assistant',
          parts: [
            { type: 'tool_call', id: 'call_1', name: 'weather', arguments: { city: 'Paris' } },
          ],
        },
        { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: '18C' }] },
      ],
      output: [
        {
          role: 'assistant',
          finish_reason: 'stop',
          parts: [{ type: 'text', content: '18C and sunny.' }],
        },
      ],
    });
  });

  it('reads gen_ai.content.prompt / completion and inference.operation.details events', () => {
    expect(
      genAiMessages({}, [
        {
          name: 'gen_ai.content.prompt',
          attributes: { 'gen_ai.prompt': '[{"role":"user","content":"Hi"}]' },
        },
        {
          name: 'gen_ai.content.completion',
          attributes: { 'gen_ai.completion': '[{"role":"assistant","content":"Hello"}]' },
        },
      ]),
    ).toEqual({
      input: [{ role: 'user', parts: [{ type: 'text', content: 'Hi' }] }],
      output: [{ role: 'assistant', parts: [{ type: 'text', content: 'Hello' }] }],
    });
    expect(
      genAiMessages({}, [
        {
          name: 'gen_ai.client.inference.operation.details',
          attributes: {
            'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"Hi"}]}]',
            'gen_ai.output.messages':
              '[{"role":"assistant","parts":[{"type":"text","content":"Hello"}],"finish_reason":"stop"}]',
          },
        },
      ]),
    ).toEqual({
      input: [{ role: 'user', parts: [{ type: 'text', content: 'Hi' }] }],
      output: [
        { role: 'assistant', parts: [{ type: 'text', content: 'Hello' }], finish_reason: 'stop' },
      ],
    });
  });

  it('prefers message attributes over events, and reads plain text bodies', () => {
    const attributes = {
      'gen_ai.prompt.0.role': 'user',
      'gen_ai.prompt.0.content': 'From attributes',
    };
    const events: GenAiEvent[] = [
      { name: 'gen_ai.user.message', attributes: { body: 'From an event' } },
      { name: 'gen_ai.choice', attributes: { content: '42' } },
    ];
    expect(genAiMessages(attributes, events)).toEqual({
      input: [{ role: 'user', parts: [{ type: 'text', content: 'From attributes' }] }],
      output: [{ role: 'assistant', parts: [{ type: 'text', content: '42' }] }],
    });
    expect(genAiMessages({}, events).input).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'From an event' }] },
    ]);
    expect(genAiMessages({}, [])).toEqual({ input: null, output: null });
  });
});

describe('normalizeProvider', () => {
  it.each([
    ['openai.chat', 'openai'],
    ['openai.responses', 'openai'],
    ['anthropic.messages', 'anthropic'],
    ['OpenAI', 'openai'],
    ['mistralai', 'mistral_ai'],
    ['google.vertex.chat', 'gcp.vertex_ai'],
    ['azure.ai.openai', 'azure.ai.openai'],
    ['amazon-bedrock', 'aws.bedrock'],
    ['my-vllm', 'my-vllm'],
    ['Local.Thing', 'Local.Thing'],
  ])('%s → %s', (name, expected) => {
    expect(normalizeProvider(name)).toBe(expected);
  });
});
