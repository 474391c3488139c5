/**
 * The concurrency limit (`TO11_GATEWAY_MAX_IN_FLIGHT`): past it a call is refused at once with
 * 503 `overloaded` and `Retry-After`, counted in `/metrics`, while the calls already accepted
 * finish normally; once they are done new calls are accepted again.
 */
import { testEngines } from '@to11/store/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, sdkClients, startHarness } from './harness.ts';
import { defaultProvider } from './provider-script.ts';

const LIMIT = 2;

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe.each(testEngines())('concurrency limit on %s', (engine) => {
  let h: Harness;
  let openai: OpenAI;
  beforeAll(async () => {
    h = await startHarness(engine, { TO11_GATEWAY_MAX_IN_FLIGHT: String(LIMIT) });
    ({ openai } = sdkClients(h, { maxRetries: 0 }));
  });
  afterAll(async () => {
    await h.close();
  });

  it('sheds the call past the limit with 503 overloaded + Retry-After and serves the accepted ones', async () => {
    let release = (): void => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    h.fake.handler = async (request, response) => {
      await gate;
      defaultProvider(request, response);
    };
    const before = h.fake.requests.length;
    const ask = () =>
      openai.chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'x' }],
      });
    const accepted = Array.from({ length: LIMIT }, ask);
    await until(() => h.fake.requests.length === before + LIMIT);

    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const shed = await fetch(`${h.baseURL}/chat/completions`, {
      method: 'POST',
      headers: {
        ...h.to11Headers,
        'content-type': 'application/json',
        traceparent: `00-${callerTrace}-00f067aa0ba902b7-01`,
      },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(shed.status).toBe(503);
    expect(shed.headers.get('retry-after')).toBe('1');
    expect(shed.headers.get('x-to11-error-code')).toBe('overloaded');
    // SPEC §4: every /v1/* answer carries traceparent (in the caller's trace) and a request id.
    expect(shed.headers.get('traceparent')).toMatch(
      new RegExp(`^00-${callerTrace}-(?!00f067aa0ba902b7)[0-9a-f]{16}-01$`),
    );
    expect(shed.headers.get('x-to11-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    const body = (await shed.json()) as { error: { message: string; type: string } };
    expect(body.error.type).toBe('server_error');
    expect(body.error.message).toContain('TO11_GATEWAY_MAX_IN_FLIGHT');
    // An Anthropic-shaped call is refused in the Anthropic SDK's envelope, without a body read.
    const anthropicShed = await fetch(`${h.baseURL}/messages`, {
      method: 'POST',
      headers: { ...h.to11Headers, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 8, messages: [] }),
    });
    expect(anthropicShed.status).toBe(503);
    expect(anthropicShed.headers.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(anthropicShed.headers.get('x-to11-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    expect(await anthropicShed.json()).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: expect.stringContaining('overloaded') },
    });
    const sdkError = await ask().catch((error: unknown) => error);
    expect(sdkError).toBeInstanceOf(OpenAI.InternalServerError);
    expect(h.fake.requests.length, 'a shed call never reaches the provider').toBe(before + LIMIT);

    release();
    const answers = await Promise.all(accepted);
    expect(answers.map((answer) => answer.choices[0]?.finish_reason)).toEqual(['stop', 'stop']);
    const metrics = await (await fetch(`${h.gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/^to11_gateway_calls_shed_total 3$/m);
    h.fake.handler = defaultProvider;
    const again = await ask();
    expect(again.choices[0]?.finish_reason).toBe('stop');
  });
});
