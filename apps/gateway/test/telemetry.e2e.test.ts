import type { AddressInfo } from 'node:net';
import { connect, createServer, type Socket } from 'node:net';
import { openStore, type SpanWriterOptions, type Store } from '@to11/store';
import { openTestStore, type TestStore, testEngines } from '@to11/store/testing';
import OpenAI from 'openai';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGatewayConfig, type StartedGateway, startGateway } from '../src/index.ts';
import { type FakeProvider, sseEvent, startFakeProvider, startSse } from './fake-provider.ts';
import { PROVIDER_KEY, randomApiKey, traceIdOf } from './harness.ts';
import { defaultProvider } from './provider-script.ts';

/** A store whose database can be made unreachable on demand. */
async function storeOutage(test: TestStore): Promise<{ store: Store; start(): Promise<void> }> {
  if (!test.databaseUrl) return { store: test.store, start: () => test.store.close() };
  const target = new URL(test.databaseUrl);
  const sockets = new Set<Socket>();
  const proxy = createServer((client) => {
    const server = connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, server]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
    }
    client.pipe(server).pipe(client);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const proxied = new URL(test.databaseUrl);
  proxied.port = String((proxy.address() as AddressInfo).port);
  const store = await openStore({ databaseUrl: proxied.toString() });
  return {
    store,
    async start() {
      proxy.close();
      for (const socket of sockets) socket.destroy();
    },
  };
}

describe.each(testEngines())('span delivery and shutdown on %s', (engine) => {
  let test: TestStore;
  let fake: FakeProvider;
  let apiKey: string;
  let projectId: string;
  const logs: string[] = [];
  const gateways: StartedGateway[] = [];
  beforeAll(async () => {
    test = await openTestStore(engine);
    apiKey = randomApiKey();
    const boot = await test.store.bootstrap({ apiKey });
    if (boot.status !== 'created') throw new Error('expected a fresh store');
    projectId = boot.projectId;
    fake = await startFakeProvider(defaultProvider);
  });
  afterAll(async () => {
    for (const gateway of gateways) await gateway.close(1_000);
    await fake.close();
    await test.close().catch(() => undefined);
  });

  async function gatewayWith(writerOptions: SpanWriterOptions, store: Store = test.store) {
    const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(line) });
    const config = loadGatewayConfig({
      TO11_GATEWAY_PORT: '0',
      TO11_OPENAI_BASE_URL: `${fake.origin}/v1`,
    });
    const gateway = await startGateway({ config, store, logger, writerOptions });
    gateways.push(gateway);
    const call = () =>
      fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-to11-authorization': `Bearer ${apiKey}`,
          authorization: `Bearer ${PROVIDER_KEY}`,
        },
        body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
      });
    const metric = async (name: string) => {
      const text = await (await fetch(`${gateway.url}/metrics`)).text();
      return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
    };
    return { gateway, call, metric };
  }

  it('answers calls when the span buffer overflows, and counts and logs the loss', async () => {
    const { call, metric } = await gatewayWith({ maxQueuedSpans: 1 });
    for (let i = 0; i < 3; i++) expect((await call()).status).toBe(200);
    expect(await metric('to11_spans_dropped_total')).toBe(6);
    const warnings = logs.map((line) => JSON.parse(line)).filter((line) => line.level === 40);
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    expect(warnings[0].msg).toContain('span buffer full');
  });

  it('lets an in-flight stream finish on close, then flushes every span', async () => {
    const { gateway } = await gatewayWith({});
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    fake.handler = async (_request, response) => {
      const base = { id: 'c3', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o' };
      const delta = (content: string, finish: string | null) => ({
        ...base,
        choices: [{ index: 0, delta: { content }, finish_reason: finish }],
      });
      startSse(response);
      sseEvent(response, delta('still', null));
      await released;
      sseEvent(response, delta(' here', 'stop'));
      sseEvent(response, '[DONE]');
      response.end();
    };
    const client = new OpenAI({
      baseURL: `${gateway.url}/v1`,
      apiKey: PROVIDER_KEY,
      defaultHeaders: { 'x-to11-authorization': `Bearer ${apiKey}` },
    });
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], stream: true })
      .withResponse();
    const iterator = stream[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.choices[0]?.delta.content).toBe('still');
    let closedYet = false;
    const closed = gateway.close(5_000).then(() => {
      closedYet = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closedYet).toBe(false);
    release();
    let rest = '';
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      rest += next.value.choices[0]?.delta.content ?? '';
    }
    expect(rest).toBe(' here');
    await closed;
    fake.handler = defaultProvider;
    const spans = await test.store.spans.getTrace(
      projectId,
      traceIdOf(response.headers.get('traceparent')),
    );
    expect(spans.map((span) => span.name).sort()).toEqual([
      'POST /v1/chat/completions',
      'chat gpt-4o',
    ]);
  });

  it('answers calls while the store is down, and counts the spans it could not write', async () => {
    // PGlite: close the store. Postgres: cut the network between the store and the server.
    const outage = await storeOutage(test);
    const { call, metric } = await gatewayWith(
      { retryDelayMs: 0, flushIntervalMs: 20 },
      outage.store,
    );
    expect((await call()).status).toBe(200);
    await outage.start();
    const started = Date.now();
    expect((await call()).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1_000);
    // The spans are either reported lost (a failed write) or still waiting in the bounded
    // buffer (a write that has not failed yet): never silently gone.
    const deadline = Date.now() + 5_000;
    let failed = 0;
    let waiting = 0;
    while (Date.now() < deadline) {
      failed = await metric('to11_store_write_errors_total');
      waiting = await metric('to11_span_buffer_size');
      if (failed >= 1) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (failed >= 1) {
      expect(await metric('to11_spans_dropped_total')).toBeGreaterThanOrEqual(2);
      expect(logs.some((line) => line.includes('span store write failed'))).toBe(true);
    } else {
      expect(waiting).toBeGreaterThanOrEqual(2);
    }
  });
});
