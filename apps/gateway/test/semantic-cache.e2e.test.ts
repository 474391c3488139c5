import { randomBytes } from 'node:crypto';
import type Anthropic from '@anthropic-ai/sdk';
import { testEngines } from '@to11/store/testing';
import { Redis } from 'ioredis';
import type OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StartedGateway } from '../src/index.ts';
import { writeToml } from './config-file.ts';
import { sendJson } from './fake-provider.ts';
import {
  type Harness,
  sdkClients,
  spanNamed,
  startHarness,
  streamedText,
  traceIdOf,
} from './harness.ts';
import { limitedCaller, redisPrefix } from './limits-helpers.ts';
import { ANSWER, defaultProvider } from './provider-script.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const EMBEDDINGS = '/v1/embeddings';
const CHAT = '/v1/chat/completions';

function semanticToml(...extra: string[]): string {
  return writeToml(
    '[cache.semantic]',
    'model = "openai::text-embedding-3-small"',
    'similarity_threshold = 0.9',
    ...extra,
  );
}

/** A topic word no other test uses, so tests do not hit each other's entries. */
function topic(): string {
  return `zq${randomBytes(5).toString('hex')}`;
}

function user(content: string): { role: 'user'; content: string }[] {
  return [{ role: 'user', content }];
}

function callsTo(h: Harness, path: string): number {
  return h.fake.requests.filter((request) => request.path === path).length;
}

describe.each(testEngines())('semantic cache in memory on %s', (engine) => {
  let h: Harness;
  let openai: OpenAI;
  let anthropic: Anthropic;
  let gateway: StartedGateway;
  beforeAll(async () => {
    h = await startHarness(engine);
    gateway = await h.startGateway({ TO11_CONFIG: semanticToml('store = "memory"') });
    ({ openai, anthropic } = sdkClients(h, { maxRetries: 0, gateway }));
  });
  afterEach(() => {
    h.fake.handler = defaultProvider;
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers a paraphrase from the cache at zero cost, and an unrelated question upstream', async () => {
    const word = topic();
    const first = await openai.chat.completions
      .create({ model: 'gpt-4o', messages: user(`What is the capital of ${word}?`) })
      .withResponse();
    expect(first.response.headers.get('x-to11-cache')).toBe('miss');
    const chats = callsTo(h, CHAT);
    const embeddings = callsTo(h, EMBEDDINGS);

    const second = await openai.chat.completions
      .create({ model: 'gpt-4o', messages: user(`what is the capital city of ${word}`) })
      .withResponse();
    expect(second.response.headers.get('x-to11-cache')).toBe('hit');
    expect(second.response.headers.get('x-to11-cache-type')).toBe('semantic');
    const similarity = Number(second.response.headers.get('x-to11-cache-similarity'));
    expect(similarity).toBeGreaterThanOrEqual(0.9);
    expect(similarity).toBeLessThan(1);
    expect(second.data).toEqual(first.data);
    expect(callsTo(h, CHAT)).toBe(chats);
    expect(callsTo(h, EMBEDDINGS)).toBe(embeddings + 1);
    // The embeddings call carries only the text, with no caller header but the provider key.
    const embedCall = h.fake.requests.filter((request) => request.path === EMBEDDINGS).at(-1);
    expect(embedCall?.json).toMatchObject({
      model: 'text-embedding-3-small',
      input: `what is the capital city of ${word}`,
    });
    expect(embedCall?.headers['x-to11-authorization']).toBeUndefined();

    const traceId = traceIdOf(second.response.headers.get('traceparent'));
    const spans = await h.spans(traceId, 3);
    expect(spanNamed(spans, 'chat gpt-4o').attributes).toMatchObject({
      'gateway.cache.hit': true,
      'gateway.cache.type': 'semantic',
      'gateway.cache.similarity': similarity,
      'gateway.cache.backend': 'memory',
      'gen_ai.usage.input_tokens': 0,
      'gen_ai.usage.output_tokens': 0,
      'gen_ai.usage.cost': 0,
    });
    expect(spanNamed(spans, 'embeddings text-embedding-3-small').attributes).toMatchObject({
      'gen_ai.operation.name': 'embeddings',
      'gen_ai.usage.input_tokens': 5,
    });

    const unrelated = await openai.chat.completions
      .create({ model: 'gpt-4o', messages: user(`How do I bake sourdough bread in ${word}?`) })
      .withResponse();
    expect(unrelated.response.headers.get('x-to11-cache')).toBe('miss');
    expect(callsTo(h, CHAT)).toBe(chats + 1);
  });

  it('replays a stream for a paraphrased streamed question, never a JSON answer', async () => {
    const word = topic();
    const first = await openai.chat.completions.create({
      model: 'gpt-4o',
      messages: user(`Tell me a joke about ${word}`),
      stream: true,
    });
    expect(await streamedText(first)).toBe(ANSWER);
    const chats = callsTo(h, CHAT);
    const second = await openai.chat.completions
      .create({
        model: 'gpt-4o',
        messages: user(`tell me a joke about ${word} please`),
        stream: true,
      })
      .withResponse();
    expect(second.response.headers.get('x-to11-cache')).toBe('hit');
    expect(second.response.headers.get('content-type')).toContain('text/event-stream');
    expect(await streamedText(second.data)).toBe(ANSWER);
    expect(callsTo(h, CHAT)).toBe(chats);
    const json = await openai.chat.completions
      .create({ model: 'gpt-4o', messages: user(`tell me a joke about ${word} please`) })
      .withResponse();
    expect(json.response.headers.get('x-to11-cache')).toBe('miss');
  });

  it('answers a paraphrased Anthropic message, streamed and not', async () => {
    const word = topic();
    const ask = (content: string) => ({
      model: 'claude-sonnet-4-6',
      max_tokens: 30,
      messages: user(content),
    });
    await anthropic.messages.create(ask(`Name a famous painter from ${word}`));
    const streamed = anthropic.messages.stream(ask(`Name a famous painter from ${word}`));
    await streamed.finalMessage();
    const messages = callsTo(h, '/v1/messages');
    const plain = await anthropic.messages
      .create(ask(`name a famous painter from ${word}, please`))
      .withResponse();
    expect(plain.response.headers.get('x-to11-cache')).toBe('hit');
    expect(plain.response.headers.get('x-to11-cache-type')).toBe('semantic');
    const replay = anthropic.messages.stream(ask(`name a famous painter from ${word}, please`));
    const final = await replay.finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'text', text: ANSWER });
    expect(callsTo(h, '/v1/messages')).toBe(messages);
  });

  it('never serves a hit across models, parameters, tools, earlier messages or projects', async () => {
    const word = topic();
    const question = `Which river flows through ${word}?`;
    const paraphrase = `which river flows through ${word} today`;
    await openai.chat.completions.create({ model: 'gpt-4o', messages: user(question) });
    const tools: OpenAI.ChatCompletionTool[] = [
      {
        type: 'function',
        function: { name: 'get_weather', parameters: { type: 'object', properties: {} } },
      },
    ];
    const other = await limitedCaller(h, {});
    const variants: [string, Promise<{ response: Response }>][] = [
      [
        'model',
        openai.chat.completions
          .create({ model: 'gpt-4o-mini', messages: user(paraphrase) })
          .withResponse(),
      ],
      [
        'temperature',
        openai.chat.completions
          .create({ model: 'gpt-4o', messages: user(paraphrase), temperature: 0.2 })
          .withResponse(),
      ],
      [
        'tools',
        openai.chat.completions
          .create({ model: 'gpt-4o', messages: user(paraphrase), tools })
          .withResponse(),
      ],
      [
        'history',
        openai.chat.completions
          .create({
            model: 'gpt-4o',
            messages: [{ role: 'system', content: 'Answer in French.' }, ...user(paraphrase)],
          })
          .withResponse(),
      ],
      [
        'project',
        other
          .clients(gateway.url)
          .openai.chat.completions.create({ model: 'gpt-4o', messages: user(paraphrase) })
          .withResponse(),
      ],
    ];
    for (const [name, pending] of variants) {
      const { response } = await pending;
      expect([name, response.headers.get('x-to11-cache')]).toEqual([name, 'miss']);
    }
    const same = await openai.chat.completions
      .create({ model: 'gpt-4o', messages: user(paraphrase) })
      .withResponse();
    expect(same.response.headers.get('x-to11-cache')).toBe('hit');
  });

  it('serves the call upstream, storing nothing, when the embeddings call fails', async () => {
    const word = topic();
    h.fake.handler = (request, response) => {
      if (request.path === EMBEDDINGS) {
        sendJson(response, 500, { error: { message: 'embeddings down', type: 'server_error' } });
      } else defaultProvider(request, response);
    };
    for (let i = 0; i < 2; i += 1) {
      const answer = await openai.chat.completions
        .create({ model: 'gpt-4o', messages: user(`Where is ${word}?`) })
        .withResponse();
      expect(answer.data.choices[0]?.message.content).toBe(ANSWER);
      // Nothing could be stored: no `miss` is announced.
      expect(answer.response.headers.get('x-to11-cache')).toBeNull();
    }
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(
      /to11_semantic_cache_lookups_total\{backend="memory",result="no_embedding"\} [2-9]/,
    );
  });

  it('answers a paraphrase with scope = conversation only when the whole conversation is near', async () => {
    const conversational = await h.startGateway({
      TO11_CONFIG: semanticToml('scope = "conversation"', 'store = "memory"'),
    });
    const client = sdkClients(h, { maxRetries: 0, gateway: conversational }).openai;
    const word = topic();
    const messages = (system: string, question: string) => [
      { role: 'system' as const, content: system },
      ...user(question),
    ];
    await client.chat.completions.create({
      model: 'gpt-4o',
      messages: messages(`You are a guide to ${word}.`, `What should I see in ${word} first?`),
    });
    const near = await client.chat.completions
      .create({
        model: 'gpt-4o',
        messages: messages(`You are a guide to ${word}.`, `what should I see in ${word} first`),
      })
      .withResponse();
    expect(near.response.headers.get('x-to11-cache')).toBe('hit');
    const far = await client.chat.completions
      .create({
        model: 'gpt-4o',
        messages: messages(
          'Reply only with numbers and digits.',
          `what should I see in ${word} first`,
        ),
      })
      .withResponse();
    expect(far.response.headers.get('x-to11-cache')).toBe('miss');
  });
});

describe.each(testEngines())('semantic cache in Redis on %s', (engine) => {
  let h: Harness;
  let redis: Redis;
  const { prefix, cleanUp } = redisPrefix();
  beforeAll(async () => {
    h = await startHarness(engine);
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await cleanUp();
    await redis.quit();
    await h.close();
  });

  it('is shared by two gateways on one Redis', async () => {
    const config = writeToml(
      '[cache]',
      `redis_prefix = "${prefix}"`,
      '[cache.semantic]',
      'model = "openai::text-embedding-3-small"',
      'similarity_threshold = 0.9',
      'store = "redis"',
    );
    const env = { TO11_CONFIG: config, REDIS_URL };
    const a = sdkClients(h, { maxRetries: 0, gateway: await h.startGateway(env) }).openai;
    const b = sdkClients(h, { maxRetries: 0, gateway: await h.startGateway(env) }).openai;
    const word = topic();
    const first = await a.chat.completions
      .create({ model: 'gpt-4o', messages: user(`What is the capital of ${word}?`) })
      .withResponse();
    expect(first.response.headers.get('x-to11-cache')).toBe('miss');
    // The write is not awaited by the answer: wait for it to land.
    for (let tries = 0; (await redis.keys(`${prefix}semantic-answer:*`)).length === 0; tries += 1) {
      if (tries > 100) throw new Error('the semantic entry never reached Redis');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const chats = callsTo(h, CHAT);
    const second = await b.chat.completions
      .create({ model: 'gpt-4o', messages: user(`what is the capital city of ${word}`) })
      .withResponse();
    expect(second.response.headers.get('x-to11-cache')).toBe('hit');
    expect(second.response.headers.get('x-to11-cache-type')).toBe('semantic');
    expect(second.data).toEqual(first.data);
    expect(callsTo(h, CHAT)).toBe(chats);
    const spans = await h.spans(traceIdOf(second.response.headers.get('traceparent')), 3);
    expect(spanNamed(spans, 'chat gpt-4o').attributes['gateway.cache.backend']).toBe('redis');
  });
});

/** Waits until `gateway` has stored `count` semantic entries in `backend`. */
async function semanticWrites(gateway: StartedGateway, backend: string, count: number) {
  const pattern = new RegExp(
    `to11_semantic_cache_writes_total\\{backend="${backend}",result="stored"\\} (\\d+)`,
  );
  for (let tries = 0; ; tries += 1) {
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    if (Number(pattern.exec(metrics)?.[1] ?? 0) >= count) return;
    if (tries > 200) throw new Error(`no semantic write reached ${backend}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(testEngines())('semantic cache in the store (pgvector) on %s', (engine) => {
  let h: Harness;
  let pgvector = false;
  beforeAll(async () => {
    h = await startHarness(engine);
    // PGlite loads pgvector; the machine's Postgres 15 has no vector extension: memory then.
    pgvector = (await h.store.semanticVectors.enable()).ok;
  });
  afterAll(async () => {
    await h.close();
  });

  it.each([
    ['auto (the default)', []],
    ['postgres', ['store = "postgres"']],
  ])('with store = %s, stores and answers paraphrases, JSON and streamed', async (_, extra) => {
    // auto takes pgvector on a Postgres server only, not on the embedded PGlite.
    const expected =
      pgvector && (extra.length > 0 || engine === 'postgres') ? 'postgres' : 'memory';
    const gateway = await h.startGateway({ TO11_CONFIG: semanticToml(...extra) });
    const { openai } = sdkClients(h, { maxRetries: 0, gateway });
    const word = topic();
    const first = await openai.chat.completions
      .create({ model: 'gpt-4o', messages: user(`What is the capital of ${word}?`) })
      .withResponse();
    expect(first.response.headers.get('x-to11-cache')).toBe('miss');
    await semanticWrites(gateway, expected, 1);
    const chats = callsTo(h, CHAT);
    const second = await openai.chat.completions
      .create({ model: 'gpt-4o', messages: user(`what is the capital city of ${word}`) })
      .withResponse();
    expect(second.response.headers.get('x-to11-cache')).toBe('hit');
    expect(second.data).toEqual(first.data);
    expect(callsTo(h, CHAT)).toBe(chats);
    const spans = await h.spans(traceIdOf(second.response.headers.get('traceparent')), 3);
    expect(spanNamed(spans, 'chat gpt-4o').attributes).toMatchObject({
      'gateway.cache.backend': expected,
      'gen_ai.usage.cost': 0,
    });

    const streamed = () =>
      openai.chat.completions.create({
        model: 'gpt-4o',
        stream: true,
        messages: user(`Describe the flag of ${word}.`),
      });
    const original = await streamedText(await streamed());
    await semanticWrites(gateway, expected, 2);
    const beforeReplay = callsTo(h, CHAT);
    const replayed = await streamedText(await streamed());
    expect(replayed).toBe(original);
    expect(callsTo(h, CHAT)).toBe(beforeReplay);

    const other = await openai.chat.completions
      .create({ model: 'gpt-4o', messages: user(`How do I bake sourdough bread in ${word}?`) })
      .withResponse();
    expect(other.response.headers.get('x-to11-cache')).toBe('miss');
  });

  it('falls back to memory when store = "redis" has no Redis', async () => {
    const gateway = await h.startGateway({ TO11_CONFIG: semanticToml('store = "redis"') });
    const { openai } = sdkClients(h, { maxRetries: 0, gateway });
    await openai.chat.completions.create({ model: 'gpt-4o', messages: user(`Hi ${topic()}`) });
    await semanticWrites(gateway, 'memory', 1);
  });
});
