import Anthropic from '@anthropic-ai/sdk';
import { testEngines } from '@to11/store/testing';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeToml } from './config-file.ts';
import { type ReceivedRequest, sendJson } from './fake-provider.ts';
import {
  type Harness,
  sdkClients,
  spanNamed,
  spansJson,
  startHarness,
  traceIdOf,
} from './harness.ts';
import { defaultProvider } from './provider-script.ts';

const EMAIL = 'jane.roe@example.org';
const SSN = '123-45-6789';
const PHONE = '+1 415-555-0132';

/** Clients of a gateway started with `config`. */
async function clientsOn(h: Harness, config: string) {
  const gateway = await h.startGateway({ TO11_CONFIG: config });
  return { gateway, ...sdkClients(h, { maxRetries: 0, gateway }) };
}

/** Drains a stream and returns its text (the SDKs' own stream readers). */
async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _event of stream) {
    // reading is the point
  }
}

function bodyText(request: ReceivedRequest | undefined): string {
  return request?.body.toString('utf8') ?? '';
}

describe.each(testEngines())('guardrails on %s', (engine) => {
  let h: Harness;
  let input: Awaited<ReturnType<typeof clientsOn>>;
  beforeAll(async () => {
    h = await startHarness(engine);
    input = await clientsOn(
      h,
      writeToml(
        '[guardrails]',
        'blocklist = ["Project Aurora"]',
        'pii = "redact"',
        '[guardrails.pii_actions]',
        'ssn = "block"',
        'phone = "flag"',
      ),
    );
  });
  afterEach(() => {
    h.fake.handler = defaultProvider;
  });
  afterAll(async () => {
    await h.close();
  });

  const user = (content: string) => [{ role: 'user' as const, content }];

  it('blocks in the OpenAI envelope, streamed or not, and never forwards the call', async () => {
    const before = h.fake.requests.length;
    // Each call starts only when the loop reaches it, so no rejection is ever left unobserved.
    const calls: Array<() => PromiseLike<unknown>> = [
      () =>
        input.openai.chat.completions.create({
          model: 'gpt-4o',
          messages: user(`my ssn is ${SSN}`),
        }),
      () =>
        input.openai.chat.completions.create({
          model: 'gpt-4o',
          stream: true,
          messages: user(`my ssn is ${SSN}`),
        }),
      () => input.openai.responses.create({ model: 'gpt-4o', input: `about project AURORA` }),
      () => input.openai.responses.create({ model: 'gpt-4o', input: `ssn ${SSN}`, stream: true }),
    ];
    for (const call of calls) {
      const error = await Promise.resolve(call()).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      const bad = error as InstanceType<typeof OpenAI.BadRequestError>;
      expect(bad.status).toBe(400);
      expect(bad.code).toBe('content_policy');
      expect(bad.headers?.get('x-to11-error-code')).toBe('content_policy');
      expect(bad.message).toMatch(
        /request blocked by guardrail `(ssn|blocklist)`: the input contains/,
      );
      expect(bad.message).not.toContain(SSN);
      expect(bad.message.toLowerCase()).not.toContain('aurora');
    }
    expect(h.fake.requests.length).toBe(before);
  });

  it('blocks in the Anthropic envelope, streamed or not, naming the detector', async () => {
    const before = h.fake.requests.length;
    const params = {
      model: 'claude-sonnet-4-6',
      max_tokens: 20,
      messages: user(`Project Aurora roadmap`),
    };
    const plain = await input.anthropic.messages.create(params).catch((caught: unknown) => caught);
    const streamed = await drain(input.anthropic.messages.stream(params)).catch(
      (caught: unknown) => caught,
    );
    for (const error of [plain, streamed]) {
      expect(error).toBeInstanceOf(Anthropic.BadRequestError);
      const bad = error as InstanceType<typeof Anthropic.BadRequestError>;
      expect(bad.headers?.get('x-to11-error-code')).toBe('content_policy');
      expect(bad.error).toEqual({
        type: 'error',
        error: {
          type: 'invalid_request_error',
          message:
            'request blocked by guardrail `blocklist`: the input contains blocklist entry #1',
        },
      });
    }
    expect(h.fake.requests.length).toBe(before);
  });

  it('redacts what leaves (every format, streamed or not) and records the decisions', async () => {
    const text = `write to ${EMAIL} or call ${PHONE}`;
    const { response } = await input.openai.chat.completions
      .create({ model: 'gpt-4o', messages: user(text) })
      .withResponse();
    const chat = bodyText(h.fake.requests.at(-1));
    expect(chat).toContain(`write to [REDACTED_EMAIL] or call ${PHONE}`);
    expect(chat).not.toContain(EMAIL);

    await drain(
      await input.openai.chat.completions.create({
        model: 'gpt-4o',
        stream: true,
        messages: user(text),
      }),
    );
    expect(bodyText(h.fake.requests.at(-1))).toContain('write to [REDACTED_EMAIL]');
    await input.openai.responses.create({
      model: 'gpt-4o',
      input: [{ role: 'user', content: text }],
    });
    expect(bodyText(h.fake.requests.at(-1))).toContain('write to [REDACTED_EMAIL]');

    const params = {
      model: 'claude-sonnet-4-6',
      max_tokens: 20,
      system: `admin is ${EMAIL}`,
      messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text }] }],
    };
    await input.anthropic.messages.create(params);
    const messages = bodyText(h.fake.requests.at(-1));
    expect(messages).toContain('admin is [REDACTED_EMAIL]');
    expect(messages).not.toContain(EMAIL);
    await input.anthropic.messages.stream(params).finalMessage();
    expect(bodyText(h.fake.requests.at(-1))).not.toContain(EMAIL);

    const genai = spanNamed(
      await h.spans(traceIdOf(response.headers.get('traceparent')), 2),
      'chat gpt-4o',
    );
    expect(genai.attributes).toMatchObject({
      'gen_ai.guardrail.action': 'redact',
      'gen_ai.guardrail.detector': 'email',
      'gen_ai.guardrail.direction': 'input',
      'gen_ai.guardrail.decisions': ['input:email:redact:1', 'input:phone:flag:1'],
    });
    const metrics = await (await fetch(`${input.gateway.url}/metrics`)).text();
    expect(metrics).toMatch(
      /to11_guardrail_decisions_total\{action="redact",detector="email",direction="input"\} 5/,
    );
    expect(metrics).toMatch(
      /to11_guardrail_decisions_total\{action="block",detector="ssn",direction="input"\} \d/,
    );
  });

  it('records a blocked call on its HTTP span', async () => {
    const error = await input.openai.chat.completions
      .create({ model: 'gpt-4o', messages: user(`ssn ${SSN}`) })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const bad = error as InstanceType<typeof OpenAI.BadRequestError>;
    const spans = await h.spans(traceIdOf(bad.headers?.get('traceparent')), 1);
    const http = spans.find((span) => span.kind === 'SERVER');
    expect(http?.attributes).toMatchObject({
      'gen_ai.guardrail.action': 'block',
      'gen_ai.guardrail.detector': 'ssn',
      'http.response.status_code': 400,
    });
    expect(spansJson(spans)).not.toContain(SSN);
  });

  it('checks non-streamed answers with output = true: redacts, or blocks with 400', async () => {
    const output = await clientsOn(
      h,
      writeToml(
        '[guardrails]',
        'pii = "redact"',
        'output = true',
        '[guardrails.pii_actions]',
        'credit_card = "block"',
      ),
    );
    let answer = `mail ${EMAIL}`;
    h.fake.handler = (_request, response) =>
      sendJson(response, 200, {
        id: 'chatcmpl-out',
        object: 'chat.completion',
        created: 1,
        model: 'gpt-4o',
        choices: [
          { index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' },
        ],
        usage: { prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 },
      });
    const { data, response } = await output.openai.chat.completions
      .create({ model: 'gpt-4o', messages: user('hi') })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('mail [REDACTED_EMAIL]');
    const genai = spanNamed(
      await h.spans(traceIdOf(response.headers.get('traceparent')), 2),
      'chat gpt-4o',
    );
    expect(genai.attributes['gen_ai.guardrail.decisions']).toEqual(['output:email:redact:1']);

    answer = 'card 4111 1111 1111 1111';
    const error = await output.openai.chat.completions
      .create({ model: 'gpt-4o', messages: user('hi') })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const bad = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(bad.code).toBe('content_policy');
    expect(bad.message).toContain(
      'response blocked by guardrail `credit_card`: the output contains a payment card number',
    );
    expect(bad.message).not.toContain('4111');
  });
});
