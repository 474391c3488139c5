import { setTimeout as sleep } from 'node:timers/promises';
import { Code, ConnectError, createClient } from '@connectrpc/connect';
import { createConnectTransport, createGrpcTransport } from '@connectrpc/connect-node';
import { testEngines } from '@to11/store/testing';
import { TraceService } from '@to11/trace-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type Harness, startHarness } from './harness.ts';
import { exportOnce, succeeded } from './otel-exporters.ts';
import { encode, grpcClient, ids, request, span } from './otlp-requests.ts';
import { readTrace } from './read-api-client.ts';
import { buildSpanFixture } from './span-fixture.ts';

// Taking the database away needs a network path to cut: Postgres behind a TCP proxy. The
// embedded PGlite runs inside the process and cannot go down without the process, so this
// suite runs on Postgres only (DATABASE_URL set).
const outageEngines = testEngines().filter((engine) => engine === 'postgres');

describe.each(outageEngines)('a %s store that goes away and comes back', (engine) => {
  let harness: Harness;
  let token: string;
  beforeAll(async () => {
    harness = await startHarness(engine, { ackTimeoutMs: 3000 }, { proxy: true });
    token = await harness.ingestToken();
  });
  afterAll(() => harness?.close());

  function proxy() {
    if (harness.proxy === null) throw new Error('the harness has no proxy');
    return harness.proxy;
  }

  it('answers 503 / UNAVAILABLE with Retry-After while down, never 200', async () => {
    const { traceId, traceHex } = ids();
    await proxy().pause();
    try {
      const response = await harness.http('/v1/traces', {
        method: 'POST',
        headers: bearer(token, { 'content-type': 'application/x-protobuf' }),
        body: encode(request([span(traceId)])),
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(await response.json()).toMatchObject({ error: { code: 'unavailable' } });
      const grpc = grpcClient(harness.grpcUrl).export(request([span(traceId)]), {
        headers: { authorization: `Bearer ${token}` },
      });
      const error = await grpc.then(
        () => null,
        (reason: unknown) => ConnectError.from(reason),
      );
      expect(error?.code).toBe(Code.Unavailable);
      expect(error?.metadata.get('retry-after')).toBe('1');
    } finally {
      await proxy().resume();
    }
    expect((await readTrace(harness, traceHex)).status).toBe(404);
    // Both refusals are counted, as the store's (down) or the ack wait's (no commit in time).
    const metrics = await (await harness.http('/metrics')).text();
    const counted = [
      ...metrics.matchAll(
        /to11_collector_exports_refused_total\{reason="(?:store|timeout)"\} (\d+)/g,
      ),
    ].reduce((sum, match) => sum + Number(match[1]), 0);
    expect(counted).toBeGreaterThanOrEqual(2);
  });

  it('lets the official OTLP/HTTP exporter retry until the store is back, losing nothing', async () => {
    const fixture = await buildSpanFixture();
    await proxy().pause();
    const target = { grpcUrl: harness.grpcUrl, httpUrl: harness.httpUrl, token, gzip: true };
    const exported = exportOnce('proto', target, fixture.spans);
    await sleep(1500);
    await proxy().resume();
    const result = await exported;
    expect(result.error?.message ?? null).toBeNull();
    expect(succeeded(result)).toBe(true);
    const reply = await readTrace(harness, fixture.traceId);
    expect(reply.body.spans).toEqual(fixture.expected(harness.projectId));
  });

  it('fails the official gRPC exporter with UNAVAILABLE while down, and takes the re-send', async () => {
    // The JS gRPC exporter does not retry by itself (other SDKs do on UNAVAILABLE); what matters
    // is that nothing was acknowledged while the store was down.
    const fixture = await buildSpanFixture();
    const target = { grpcUrl: harness.grpcUrl, httpUrl: harness.httpUrl, token, gzip: true };
    await proxy().pause();
    let result: Awaited<ReturnType<typeof exportOnce>>;
    try {
      result = await exportOnce('grpc', target, fixture.spans);
    } finally {
      await proxy().resume();
    }
    expect(succeeded(result)).toBe(false);
    expect((result.error as { code?: number } | undefined)?.code).toBe(Code.Unavailable);
    const resent = await exportOnce('grpc', target, fixture.spans);
    expect(resent.error?.message ?? null).toBeNull();
    expect(succeeded(resent)).toBe(true);
    const reply = await readTrace(harness, fixture.traceId);
    expect(reply.body.spans).toEqual(fixture.expected(harness.projectId));
  });
});

describe.each(testEngines())('back-pressure on the %s store', (engine) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(engine, { maxQueuedSpans: 3, maxConcurrentExports: 1 });
  });
  afterAll(() => harness?.close());

  it('answers 503 / UNAVAILABLE with Retry-After when the span queue is full', async () => {
    const token = await harness.ingestToken();
    const { traceId } = ids();
    const tooMany = request([span(traceId), span(traceId), span(traceId), span(traceId)]);
    const response = await harness.http('/v1/traces', {
      method: 'POST',
      headers: bearer(token, { 'content-type': 'application/x-protobuf' }),
      body: encode(tooMany),
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    const grpc = grpcClient(harness.grpcUrl).export(tooMany, {
      headers: { authorization: `Bearer ${token}` },
    });
    await expect(grpc).rejects.toSatisfy(
      (error) => ConnectError.from(error).code === Code.Unavailable,
    );
    const fits = await harness.http('/v1/traces', {
      method: 'POST',
      headers: bearer(token, { 'content-type': 'application/x-protobuf' }),
      body: encode(request([span(traceId), span(traceId)])),
    });
    expect(fits.status).toBe(200);
  });

  it('refuses exports beyond the concurrency limit at once with 503 / UNAVAILABLE', async () => {
    const token = await harness.ingestToken();
    const { traceId, traceHex } = ids();
    const body = encode(request([span(traceId)]));
    let finish: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const slow = fetch(`${harness.httpUrl}/v1/traces`, {
      method: 'POST',
      headers: bearer(token, { 'content-type': 'application/x-protobuf' }),
      body: new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(body.subarray(0, 4));
          await held;
          controller.enqueue(body.subarray(4));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    await sleep(200);
    const refused = await harness.http('/v1/traces', {
      method: 'POST',
      headers: bearer(token, { 'content-type': 'application/x-protobuf' }),
      body,
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    for (const transport of [
      createGrpcTransport({ baseUrl: harness.grpcUrl }),
      createConnectTransport({ baseUrl: harness.httpUrl, httpVersion: '1.1' }),
    ]) {
      const call = createClient(TraceService, transport).export(request([span(traceId)]), {
        headers: { authorization: `Bearer ${token}` },
      });
      await expect(call).rejects.toSatisfy(
        (error) => ConnectError.from(error).code === Code.Unavailable,
      );
    }
    finish();
    expect((await slow).status).toBe(200);
    expect((await readTrace(harness, traceHex)).status).toBe(200);
    // One HTTP and two gRPC/Connect refusals, each counted.
    const metrics = await (await harness.http('/metrics')).text();
    expect(metrics).toContain('to11_collector_exports_refused_total{reason="concurrency"} 3');
  });
});
