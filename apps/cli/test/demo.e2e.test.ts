/**
 * `pnpm demo`: the all-in-one with its built-in demo provider, called with the real OpenAI and
 * Anthropic SDKs and no provider key; every call's trace is read back from the read API.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ANSWER } from '../src/demo/demo-answers.ts';
import { cleanEnv, cleanUp, freePorts, type Product, startProduct, tempDir } from './harness.ts';

const API_KEY = 'to11_test_demoModeBootstrapKey0123456789';
const BANNER = 'to11: demo provider: answers are canned, no provider key needed';
let product: Product;
let gatewayUrl: string;
let httpUrl: string;

beforeAll(async () => {
  const [gateway = 0, grpc = 0, http = 0] = await freePorts(3);
  gatewayUrl = `http://127.0.0.1:${gateway}`;
  httpUrl = `http://127.0.0.1:${http}`;
  product = startProduct(
    cleanEnv({
      TO11_DEMO: '1',
      TO11_DATA_DIR: tempDir(),
      TO11_BOOTSTRAP_API_KEY: API_KEY,
      TO11_GATEWAY_PORT: String(gateway),
      TO11_COLLECTOR_GRPC_PORT: String(grpc),
      TO11_COLLECTOR_HTTP_PORT: String(http),
      // Whatever a user has set, demo mode points both providers at the demo provider.
      TO11_OPENAI_BASE_URL: 'http://127.0.0.1:1/v1',
    }),
  );
  await product.waitForLine(/^to11: collector OTLP\/HTTP and API listening on /);
});

afterAll(async () => {
  if (product !== undefined && product.stdout() !== '') {
    const stopping = Date.now();
    process.kill(product.pid, 'SIGTERM');
    expect(await product.exited).toEqual({ code: 0, signal: null });
    // Nothing is in flight: the drain must not wait for the 30 s grace period.
    expect(Date.now() - stopping).toBeLessThan(10_000);
  }
  cleanUp();
});

const to11Header = () => ({ 'x-to11-authorization': `Bearer ${API_KEY}` });

/** The trace id of a gateway answer's `traceparent`. */
function traceIdOf(headers: Headers): string {
  const traceId = headers.get('traceparent')?.split('-')[1];
  if (traceId === undefined) throw new Error('the gateway answered without a traceparent');
  return traceId;
}

interface ReadSpan {
  name: string;
  attributes: Record<string, unknown>;
}

/** Polls `GET /api/v1/traces/{id}` until the gateway's GenAI span is stored; returns it. */
async function genAiSpan(traceId: string): Promise<ReadSpan> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${httpUrl}/api/v1/traces/${traceId}`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    if (response.status === 200) {
      const { spans } = (await response.json()) as { spans: ReadSpan[] };
      const genAi = spans.find((span) => 'gen_ai.operation.name' in span.attributes);
      if (genAi !== undefined) return genAi;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no GenAI span in trace ${traceId}`);
}

describe('the all-in-one in demo mode', () => {
  it('prints the demo banner first', () => {
    expect(product.stdout().split('\n')[0]).toMatch(new RegExp(`^${BANNER}`));
  });

  it('answers OpenAI chat completions, plain and streamed, and records their usage', async () => {
    const openai = new OpenAI({
      baseURL: `${gatewayUrl}/v1`,
      apiKey: 'no-provider-key',
      defaultHeaders: to11Header(),
    });
    const { data, response } = await openai.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe(DEMO_ANSWER);
    expect(data.usage?.completion_tokens).toBeGreaterThan(0);
    const plain = await genAiSpan(traceIdOf(response.headers));
    expect(plain.name).toBe('chat gpt-4o-mini');
    expect(plain.attributes['gen_ai.usage.output_tokens']).toBe(data.usage?.completion_tokens);

    const { data: stream, response: streamed } = await openai.chat.completions
      .create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Count' }],
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    let text = '';
    let usage: { completion_tokens: number } | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage ??= chunk.usage;
    }
    expect(text).toBe(DEMO_ANSWER);
    expect(usage?.completion_tokens).toBeGreaterThan(0);
    const span = await genAiSpan(traceIdOf(streamed.headers));
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(usage?.completion_tokens);
  });

  it('answers OpenAI embeddings with one vector per input', async () => {
    const openai = new OpenAI({
      baseURL: `${gatewayUrl}/v1`,
      apiKey: 'no-provider-key',
      defaultHeaders: to11Header(),
    });
    const { data, response } = await openai.embeddings
      .create({ model: 'text-embedding-3-small', input: ['one', 'two'] })
      .withResponse();
    expect(data.data.map((item) => item.embedding.length)).toEqual([8, 8]);
    expect((await genAiSpan(traceIdOf(response.headers))).name).toBe(
      'embeddings text-embedding-3-small',
    );
  });

  it('answers Anthropic messages, plain and streamed', async () => {
    const anthropic = new Anthropic({
      baseURL: gatewayUrl,
      apiKey: 'no-provider-key',
      defaultHeaders: to11Header(),
    });
    const { data, response } = await anthropic.messages
      .create({
        model: 'claude-sonnet-4-6',
        max_tokens: 64,
        messages: [{ role: 'user', content: 'Hi' }],
      })
      .withResponse();
    expect(data.content).toEqual([{ type: 'text', text: DEMO_ANSWER }]);
    expect((await genAiSpan(traceIdOf(response.headers))).name).toBe('chat claude-sonnet-4-6');

    const { data: stream, response: streamed } = await anthropic.messages
      .create({
        model: 'claude-sonnet-4-6',
        max_tokens: 64,
        messages: [{ role: 'user', content: 'Count' }],
        stream: true,
      })
      .withResponse();
    let text = '';
    for await (const event of stream) {
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
        text += event.delta.text;
      }
    }
    expect(text).toBe(DEMO_ANSWER);
    const span = await genAiSpan(traceIdOf(streamed.headers));
    expect(span.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
  });
});
