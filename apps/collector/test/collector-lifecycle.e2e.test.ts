import { testEngines } from '@to11/store/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCollectorConfig } from '../src/config.ts';
import { startCollector } from '../src/start-collector.ts';
import { type Harness, startHarness, TOKEN_SECRET } from './harness.ts';
import { encode, ids, request, span } from './otlp-requests.ts';

describe.each(testEngines())('graceful close on the %s store', (engine) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(engine);
  });
  afterAll(() => harness?.close());

  it('fails to start, leaving nothing running, when a port is taken', async () => {
    const taken = Number(new URL(harness.httpUrl).port);
    const config = {
      ...loadCollectorConfig({ TO11_COLLECTOR_GRPC_PORT: '0' }),
      httpPort: taken,
    };
    await expect(
      startCollector({
        config,
        store: harness.store,
        logger: pino({ level: 'silent' }),
        tokenSecret: TOKEN_SECRET,
      }),
    ).rejects.toThrow(/EADDRINUSE/);
    expect((await harness.http('/health')).status).toBe(200);
  });

  it('finishes an export still arriving when close() starts, stores it, then refuses more', async () => {
    const token = await harness.ingestToken();
    const { traceId, traceHex } = ids();
    const body = encode(request(Array.from({ length: 300 }, () => span(traceId))));
    const half = Math.floor(body.length / 2);
    let sendRest: () => void = () => {};
    const rest = new Promise<void>((resolve) => {
      sendRest = resolve;
    });
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(body.subarray(0, half));
        await rest;
        controller.enqueue(body.subarray(half));
        controller.close();
      },
    });
    const response = fetch(`${harness.httpUrl}/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-protobuf' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const closed = harness.collector.close();
    sendRest();
    expect((await response).status).toBe(200);
    await closed;
    expect(await harness.store.spans.getTrace(harness.projectId, traceHex)).toHaveLength(300);
    await expect(fetch(`${harness.httpUrl}/health`)).rejects.toThrow();
  });
});
