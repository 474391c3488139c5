import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEngines } from '@to11/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, PROVIDER_KEY, spanNamed, startHarness, traceIdOf } from './harness.ts';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER = '00f067aa0ba902b7';

describe.each(testEngines())('trace context on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine);
  });
  afterAll(async () => {
    await h.close();
  });

  const chat = (
    headers: Record<string, string>,
    base = h.baseURL,
    body: Record<string, unknown> = {},
  ) =>
    fetch(`${base}/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${PROVIDER_KEY}`,
        ...h.to11Headers,
        ...headers,
      },
      body: JSON.stringify({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'hi' }],
        ...body,
      }),
    });

  it('continues a valid caller trace and injects the GenAI span upstream', async () => {
    const response = await chat({ traceparent: `00-${TRACE}-${CALLER}-01` });
    expect(response.status).toBe(200);
    const spans = await h.spans(TRACE, 2);
    const http = spanNamed(spans, 'POST /v1/chat/completions');
    const genai = spanNamed(spans, 'chat gpt-4o');
    expect(http.traceId).toBe(TRACE);
    expect(http.parentSpanId).toBe(CALLER);
    expect(genai.parentSpanId).toBe(http.spanId);
    expect(response.headers.get('traceparent')).toBe(`00-${TRACE}-${http.spanId}-01`);
    expect(h.fake.requests.at(-1)?.headers.traceparent).toBe(`00-${TRACE}-${genai.spanId}-01`);
  });

  it('keeps the unsampled flag and the tracestate, and still records the spans', async () => {
    const trace = 'aaaabbbbccccddddeeeeffff00001111';
    const tracestate = 'congo=t61rcWkgMzE, rojo=00f067aa0ba902b7';
    const response = await chat({ traceparent: `00-${trace}-${CALLER}-00`, tracestate });
    const spans = await h.spans(trace, 2);
    const genai = spanNamed(spans, 'chat gpt-4o');
    expect(response.headers.get('traceparent')).toMatch(
      new RegExp(`^00-${trace}-[0-9a-f]{16}-00$`),
    );
    const upstream = h.fake.requests.at(-1)?.headers;
    expect(upstream?.traceparent).toBe(`00-${trace}-${genai.spanId}-00`);
    expect(upstream?.tracestate).toBe(tracestate);
  });

  it.each([
    ['uppercase hex', `00-${TRACE.toUpperCase()}-${CALLER}-01`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${CALLER}-01`],
    ['version ff', `ff-${TRACE}-${CALLER}-01`],
    ['garbage', 'not-a-traceparent'],
  ])('starts a new trace for a traceparent with %s', async (_label, traceparent) => {
    const response = await chat({ traceparent, tracestate: 'a=b' });
    const traceId = traceIdOf(response.headers.get('traceparent'));
    expect(traceId).not.toBe(TRACE);
    const spans = await h.spans(traceId, 2);
    expect(spanNamed(spans, 'POST /v1/chat/completions').parentSpanId).toBeNull();
    expect(h.fake.requests.at(-1)?.headers.tracestate).toBeUndefined();
  });

  it('starts a new trace when no traceparent is sent', async () => {
    const response = await chat({});
    const traceId = traceIdOf(response.headers.get('traceparent'));
    const spans = await h.spans(traceId, 2);
    expect(spanNamed(spans, 'POST /v1/chat/completions').parentSpanId).toBeNull();
    expect(h.fake.requests.at(-1)?.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-`));
  });

  it('parses a future traceparent version by the forward-compatibility rule', async () => {
    const trace = '11112222333344445555666677778888';
    await chat({ traceparent: `01-${trace}-${CALLER}-01-future-field` });
    const spans = await h.spans(trace, 2);
    expect(spanNamed(spans, 'POST /v1/chat/completions').parentSpanId).toBe(CALLER);
  });

  it('does not inject traceparent for a provider with propagate_trace = false', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'to11-gw-'));
    const path = join(dir, 'to11.toml');
    writeFileSync(path, '[providers.openai]\npropagate_trace = false\n');
    const gateway = await h.startGateway({ TO11_CONFIG: path });
    const response = await chat({ traceparent: `00-${TRACE}-${CALLER}-01` }, `${gateway.url}/v1`);
    expect(response.status).toBe(200);
    expect(h.fake.requests.at(-1)?.headers.traceparent).toBeUndefined();
    expect(response.headers.get('traceparent')).toMatch(new RegExp(`^00-${TRACE}-`));
  });

  it('turns client context headers into GenAI span attributes, x-to11 spellings first', async () => {
    const response = await chat(
      {
        'x-to11-session-id': 'sess-1',
        'x-to11-user-id': 'header-user',
        'x-to11-conversation-id': 'conv-to11',
        'x-conversation-id': 'conv-plain',
        'x-to11-environment': 'staging',
        'x-to11-prompt-id': 'prompt-9',
        'x-to11-prompt-version': '3',
      },
      h.baseURL,
      { user: 'body-user' },
    );
    const spans = await h.spans(traceIdOf(response.headers.get('traceparent')), 2);
    expect(spanNamed(spans, 'chat gpt-4o').attributes).toMatchObject({
      'gen_ai.session.id': 'sess-1',
      'gen_ai.user.id': 'header-user',
      'gen_ai.conversation.id': 'conv-to11',
      'deployment.environment.name': 'staging',
      'prompt.id': 'prompt-9',
      'prompt.version': '3',
    });
    const second = await chat({ 'x-conversation-id': 'conv-plain', 'x-to11-env': 'prod' });
    const attributes = spanNamed(
      await h.spans(traceIdOf(second.headers.get('traceparent')), 2),
      'chat gpt-4o',
    ).attributes;
    expect(attributes['gen_ai.conversation.id']).toBe('conv-plain');
    expect(attributes['deployment.environment.name']).toBe('prod');
    expect(attributes['gen_ai.user.id']).toBeUndefined();
    expect(attributes['gen_ai.session.id']).toBeUndefined();
  });

  it('adds a sibling span for a client-declared operation', async () => {
    const response = await chat({
      'x-to11-context-operation': 'execute_tool',
      'x-to11-context-tool-name': 'search',
    });
    const spans = await h.spans(traceIdOf(response.headers.get('traceparent')), 3);
    const http = spanNamed(spans, 'POST /v1/chat/completions');
    const sibling = spanNamed(spans, 'execute_tool gpt-4o');
    expect(sibling.kind).toBe('INTERNAL');
    expect(sibling.parentSpanId).toBe(http.spanId);
    expect(spanNamed(spans, 'chat gpt-4o').parentSpanId).toBe(http.spanId);
    expect(sibling.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'search',
    });
    const ignored = await chat({ 'x-to11-context-operation': 'dance' });
    expect((await h.spans(traceIdOf(ignored.headers.get('traceparent')), 2)).length).toBe(2);
  });
});
