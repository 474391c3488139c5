/**
 * An upstream that resets the connection. A reset on a fresh connection may come after the
 * upstream took the body, so the call is not sent again (one hit, 502). A reset on a reused
 * keep-alive connection before any byte of the answer is a connection the upstream closed
 * meanwhile: it is sent once more on a new connection and the client never sees it.
 */
import type { ServerResponse } from 'node:http';
import { testEngines } from '@to11/store/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, type ReceivedRequest, startFakeProvider } from './fake-provider.ts';
import { type Harness, startHarness } from './harness.ts';
import { defaultProvider } from './provider-script.ts';

describe.each(testEngines())('upstream connection resets on %s', (engine) => {
  let h: Harness;
  let fake: FakeProvider;
  let gatewayUrl: string;
  /** The client port of the connection each request of the fake came on. */
  const ports: (number | undefined)[] = [];
  beforeAll(async () => {
    h = await startHarness(engine);
    // A provider of its own: its origin is new to the gateway's pools, so the first call goes
    // out on a fresh connection.
    fake = await startFakeProvider(defaultProvider);
    gatewayUrl = (await h.startGateway({ TO11_OPENAI_BASE_URL: `${fake.origin}/v1` })).url;
  });
  afterEach(() => {
    fake.handler = defaultProvider;
  });
  afterAll(async () => {
    await h.close();
    await fake.close();
  });

  const chat = () =>
    fetch(`${gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...h.to11Headers, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
  /** A fake handler that resets the connections of the requests `reset` picks (by hit number). */
  const resetting =
    (reset: (hit: number) => boolean, partial = false) =>
    (request: ReceivedRequest, response: ServerResponse): void => {
      ports.push(response.socket?.remotePort);
      if (!reset(fake.requests.length)) {
        defaultProvider(request, response);
        return;
      }
      if (partial) response.socket?.write('HTTP/1.1 200 OK\r\n');
      response.socket?.resetAndDestroy();
    };

  it('sends a call reset on a fresh connection once and answers 502', async () => {
    fake.handler = resetting(() => true);
    const response = await chat();
    expect(response.status).toBe(502);
    expect(response.headers.get('x-to11-error-code')).toBe('upstream');
    expect(fake.requests).toHaveLength(1);
  });

  it('sends a call reset on a reused connection once more, on a new connection', async () => {
    const before = fake.requests.length;
    fake.handler = resetting((hit) => hit === before + 2);
    expect((await chat()).status).toBe(200);
    const response = await chat();
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ object: 'chat.completion' });
    expect(fake.requests).toHaveLength(before + 3);
    const [first, reset, retry] = ports.slice(-3);
    expect(reset).toBe(first);
    expect(retry).not.toBe(reset);
  });

  it('does not send a call again once a byte of its answer came back', async () => {
    const before = fake.requests.length;
    fake.handler = resetting((hit) => hit === before + 2, true);
    expect((await chat()).status).toBe(200);
    const response = await chat();
    expect(response.status).toBe(502);
    expect(fake.requests).toHaveLength(before + 2);
    expect(ports.at(-1)).toBe(ports.at(-2));
  });
});
