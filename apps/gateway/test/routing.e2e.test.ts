import { testEngines } from '@to11/store/testing';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeToml } from './config-file.ts';
import { sendJson } from './fake-provider.ts';
import {
  type Harness,
  PROVIDER_KEY,
  spanNamed,
  spansJson,
  startHarness,
  traceIdOf,
} from './harness.ts';
import { ANSWER, defaultProvider } from './provider-script.ts';

describe.each(testEngines())('routing and content on %s', (engine) => {
  let h: Harness;
  let openai: OpenAI;
  beforeAll(async () => {
    h = await startHarness(engine);
    openai = new OpenAI({
      baseURL: h.baseURL,
      apiKey: PROVIDER_KEY,
      defaultHeaders: h.to11Headers,
      maxRetries: 0,
    });
  });
  afterEach(() => {
    h.fake.handler = defaultProvider;
  });
  afterAll(async () => {
    await h.close();
  });

  it('forces a provider with <provider>::<model> and strips the prefix upstream', async () => {
    const { response } = await openai.chat.completions
      .create({ model: 'openai::my-finetune', messages: [{ role: 'user', content: 'x' }] })
      .withResponse();
    expect(h.fake.requests.at(-1)?.json?.model).toBe('my-finetune');
    const genai = spanNamed(
      await h.spans(traceIdOf(response.headers.get('traceparent')), 2),
      'chat my-finetune',
    );
    expect(genai.attributes['gen_ai.request.model']).toBe('my-finetune');
  });

  it('routes to an OpenAI-compatible provider from to11.toml with its managed credential', async () => {
    const config = writeToml(
      `[providers.local]\nbase_url = "${h.fake.origin}/local/v1"\nmodels = ["llama-3"]\ncredential = "env::TO11_TEST_LOCAL_KEY"\n`,
    );
    const gateway = await h.startGateway({
      TO11_CONFIG: config,
      TO11_TEST_LOCAL_KEY: 'managed-local-key',
    });
    h.fake.handler = (request, response) =>
      defaultProvider({ ...request, path: request.path.replace('/local', '') }, response);
    const client = new OpenAI({
      baseURL: `${gateway.url}/v1`,
      apiKey: PROVIDER_KEY,
      defaultHeaders: h.to11Headers,
    });
    const { response } = await client.chat.completions
      .create({ model: 'llama-3', messages: [{ role: 'user', content: 'x' }] })
      .withResponse();
    const upstream = h.fake.requests.at(-1);
    expect(upstream?.path).toBe('/local/v1/chat/completions');
    expect(upstream?.headers.authorization).toBe('Bearer managed-local-key');
    const genai = spanNamed(
      await h.spans(traceIdOf(response.headers.get('traceparent')), 2),
      'chat llama-3',
    );
    expect(genai.attributes['gen_ai.provider.name']).toBe('local');
    expect(spansJson([genai])).not.toContain('managed-local-key');
  });

  it('retries and falls back along a fallback route, one GenAI span per attempt', async () => {
    const config = writeToml(
      [
        `[providers.primary]\nbase_url = "${h.fake.origin}/primary/v1"\nmodels = ["gpt-a"]`,
        `[providers.secondary]\nbase_url = "${h.fake.origin}/secondary/v1"\nmodels = ["gpt-b"]`,
        '[targets.first]\nmodel = "gpt-a"',
        '[targets.second]\nmodel = "gpt-b"',
        '[routes.resilient]\nmodels = ["smart"]\nstrategy = "fallback"\ntargets = ["first", "second"]',
        '[routes.resilient.retry]\nmax_retries = 1\nbackoff_base_ms = 10',
      ].join('\n'),
    );
    const gateway = await h.startGateway({ TO11_CONFIG: config });
    h.fake.handler = (request, response) => {
      if (request.path.startsWith('/primary'))
        return sendJson(response, 503, { error: { message: 'down' } });
      return defaultProvider(
        { ...request, path: request.path.replace('/secondary', '') },
        response,
      );
    };
    const client = new OpenAI({
      baseURL: `${gateway.url}/v1`,
      apiKey: PROVIDER_KEY,
      defaultHeaders: h.to11Headers,
      maxRetries: 0,
    });
    const { data, response } = await client.chat.completions
      .create({ model: 'smart', messages: [{ role: 'user', content: 'x' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe(ANSWER);
    const spans = await h.spans(traceIdOf(response.headers.get('traceparent')), 4);
    const attempts = spans
      .filter((span) => span.kind === 'CLIENT')
      .sort(
        (a, b) => Number(a.attributes['gateway.attempt']) - Number(b.attributes['gateway.attempt']),
      );
    expect(
      attempts.map((span) => [
        span.name,
        span.attributes['gateway.fallback.index'],
        span.status.code,
      ]),
    ).toEqual([
      ['chat gpt-a', 0, 'ERROR'],
      ['chat gpt-a', 0, 'ERROR'],
      ['chat gpt-b', 1, 'OK'],
    ]);
    expect(attempts[2]?.attributes).toMatchObject({
      'gateway.routing.layer': 'route',
      'gateway.route.name': 'resilient',
      'gateway.routing.strategy': 'fallback',
      'gateway.target.name': 'second',
      'gateway.attempt': 3,
    });
  });

  it('routes by weight and names the route and target on the span', async () => {
    const config = writeToml(
      [
        '[targets.heavy]\nmodel = "gpt-4o"\nweight = 1',
        '[targets.never]\nmodel = "gpt-4o-mini"\nweight = 0',
        '[routes.split]\nmodels = ["balanced"]\nstrategy = "weighted"\ntargets = ["heavy", "never"]',
      ].join('\n'),
    );
    const gateway = await h.startGateway({ TO11_CONFIG: config });
    const client = new OpenAI({
      baseURL: `${gateway.url}/v1`,
      apiKey: PROVIDER_KEY,
      defaultHeaders: h.to11Headers,
    });
    const { response } = await client.chat.completions
      .create({ model: 'balanced', messages: [{ role: 'user', content: 'x' }] })
      .withResponse();
    const genai = spanNamed(
      await h.spans(traceIdOf(response.headers.get('traceparent')), 2),
      'chat gpt-4o',
    );
    expect(genai.attributes).toMatchObject({
      'gateway.routing.strategy': 'weighted',
      'gateway.target.name': 'heavy',
    });
  });

  it('captures no content when capture is off', async () => {
    const gateway = await h.startGateway({ TO11_CAPTURE_CONTENT: 'false' });
    const client = new OpenAI({
      baseURL: `${gateway.url}/v1`,
      apiKey: PROVIDER_KEY,
      defaultHeaders: h.to11Headers,
    });
    const { response } = await client.chat.completions
      .create({
        model: 'gpt-4o',
        messages: [
          { role: 'system', content: 'secret plan' },
          { role: 'user', content: 'x' },
        ],
        tools: [
          { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } },
        ],
      })
      .withResponse();
    const spans = await h.spans(traceIdOf(response.headers.get('traceparent')), 3);
    const genai = spanNamed(spans, 'chat gpt-4o');
    for (const key of [
      'gen_ai.input.messages',
      'gen_ai.output.messages',
      'gen_ai.system_instructions',
    ]) {
      expect(genai.attributes[key]).toBeUndefined();
    }
    expect(
      spanNamed(spans, 'tool_call.get_weather').attributes['gen_ai.tool.call.arguments'],
    ).toBeUndefined();
    expect(spansJson(spans)).not.toContain('secret plan');
  });

  it('truncates captured values on a UTF-8 boundary with the marker', async () => {
    const gateway = await h.startGateway({ TO11_CAPTURE_CONTENT_MAX_BYTES: '200' });
    const client = new OpenAI({
      baseURL: `${gateway.url}/v1`,
      apiKey: PROVIDER_KEY,
      defaultHeaders: h.to11Headers,
    });
    const { response } = await client.chat.completions
      .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'é🙂'.repeat(200) }] })
      .withResponse();
    const genai = spanNamed(
      await h.spans(traceIdOf(response.headers.get('traceparent')), 2),
      'chat gpt-4o',
    );
    const value = String(genai.attributes['gen_ai.input.messages']);
    expect(value.endsWith('…[truncated]')).toBe(true);
    expect(Buffer.byteLength(value)).toBeLessThanOrEqual(200);
    expect(value).not.toContain('\uFFFD');
  });
});
