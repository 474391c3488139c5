import Anthropic from '@anthropic-ai/sdk';
import { testEngines } from '@to11/store/testing';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sseEvent, startSse } from './fake-provider.ts';
import { type Harness, sdkClients, spanNamed, startHarness, traceIdOf } from './harness.ts';
import { defaultProvider } from './provider-script.ts';

function waitFor(condition: () => boolean, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (condition()) resolve();
      else if (Date.now() > deadline) reject(new Error('condition not met in time'));
      else setTimeout(tick, 20);
    };
    tick();
  });
}

describe.each(testEngines())('broken streams and disconnects on %s', (engine) => {
  let h: Harness;
  let openai: OpenAI;
  let anthropic: Anthropic;
  beforeAll(async () => {
    h = await startHarness(engine);
    ({ openai, anthropic } = sdkClients(h, { maxRetries: 0 }));
  });
  afterEach(() => {
    h.fake.handler = defaultProvider;
  });
  afterAll(async () => {
    await h.close();
  });

  it('marks a stream cut by the upstream as an error and tells the client', async () => {
    h.fake.handler = (_request, response) => {
      const base = { id: 'cut', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o' };
      startSse(response);
      sseEvent(response, {
        ...base,
        choices: [{ index: 0, delta: { content: 'partial' }, finish_reason: null }],
      });
      setTimeout(() => response.socket?.destroy(), 50);
    };
    const { data: stream, response } = await openai.chat.completions
      .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], stream: true })
      .withResponse();
    const received: string[] = [];
    const failure = await (async () => {
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((error: unknown) => error);
    expect(received).toEqual(['partial']);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    const spans = await h.spans(traceIdOf(response.headers.get('traceparent')), 2);
    const genai = spanNamed(spans, 'chat gpt-4o');
    expect(genai.status.code).toBe('ERROR');
    expect(genai.attributes['error.type']).toBe('upstream');
    expect(String(genai.attributes['gen_ai.output.messages'])).toContain('partial');
    expect(spanNamed(spans, 'POST /v1/chat/completions').status.code).toBe('ERROR');
  });

  it('cuts a started stream that goes silent for TO11_UPSTREAM_STREAM_IDLE_TIMEOUT_MS', async () => {
    // 1.5 s against chunks 200 ms apart: a margin a loaded machine's timers do not eat.
    const quiet = await h.startGateway({ TO11_UPSTREAM_STREAM_IDLE_TIMEOUT_MS: '1500' });
    const { openai: client } = sdkClients(h, { maxRetries: 0, gateway: quiet });
    let upstreamClosed = false;
    h.fake.handler = (_request, response) => {
      const base = { id: 'quiet', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o' };
      startSse(response);
      // Three chunks 200 ms apart (each well under the idle timeout), then silence, never ended.
      let sent = 0;
      const timer = setInterval(() => {
        sseEvent(response, {
          ...base,
          choices: [{ index: 0, delta: { content: `w${sent}` }, finish_reason: null }],
        });
        if (++sent === 3) clearInterval(timer);
      }, 200);
      response.once('close', () => {
        clearInterval(timer);
        upstreamClosed = true;
      });
    };
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], stream: true })
      .withResponse();
    const received: string[] = [];
    const failure = await (async () => {
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((error: unknown) => error);
    expect(received).toEqual(['w0', 'w1', 'w2']);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    await waitFor(() => upstreamClosed);
    const spans = await h.spans(traceIdOf(response.headers.get('traceparent')), 2);
    const genai = spanNamed(spans, 'chat gpt-4o');
    expect(genai.status.code).toBe('ERROR');
    expect(String(genai.attributes['gen_ai.output.messages'])).toContain('w2');
  });

  it('treats a stream that ends without its final event as cut', async () => {
    h.fake.handler = (_request, response) => {
      startSse(response);
      sseEvent(
        response,
        {
          type: 'message_start',
          message: { id: 'm', model: 'claude-sonnet-4-6', usage: { input_tokens: 1 } },
        },
        'message_start',
      );
      response.end();
    };
    const { data: stream, response } = await anthropic.messages
      .create({
        model: 'claude-sonnet-4-6',
        max_tokens: 5,
        messages: [{ role: 'user', content: 'x' }],
        stream: true,
      })
      .withResponse();
    const failure = await (async () => {
      for await (const _event of stream) {
        // drain
      }
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.APIError);
    const spans = await h.spans(traceIdOf(response.headers.get('traceparent')), 2);
    expect(spanNamed(spans, 'chat claude-sonnet-4-6').attributes['error.type']).toBe('upstream');
  });

  it('aborts the upstream request when the client disconnects mid-stream', async () => {
    h.fake.handler = (_request, response) => {
      const base = { id: 'abort', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o' };
      startSse(response);
      sseEvent(response, {
        ...base,
        choices: [{ index: 0, delta: { content: 'one' }, finish_reason: null }],
      });
      // Never finishes: only the gateway aborting the request ends it.
    };
    const before = h.fake.aborted.length;
    const controller = new AbortController();
    const { data: stream, response } = await openai.chat.completions
      .create(
        { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], stream: true },
        { signal: controller.signal },
      )
      .withResponse();
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    controller.abort();
    await waitFor(() => h.fake.aborted.length > before);
    const spans = await h.spans(traceIdOf(response.headers.get('traceparent')), 2);
    const genai = spanNamed(spans, 'chat gpt-4o');
    expect(genai.attributes['error.type']).toBe('client_disconnected');
  });

  it('aborts the upstream request when the client disconnects before the answer', async () => {
    h.fake.handler = () => {
      // Never answers.
    };
    const before = h.fake.aborted.length;
    const sent = h.fake.requests.length;
    const controller = new AbortController();
    const pending = fetch(`${h.gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...h.to11Headers, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }),
      signal: controller.signal,
    }).catch(() => null);
    await waitFor(() => h.fake.requests.length > sent);
    controller.abort();
    await pending;
    await waitFor(() => h.fake.aborted.length > before);
  });
});
