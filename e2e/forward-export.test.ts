/**
 * Forwarding to the user's own OTLP backend (to11 reference §10.1): an all-in-one configured with
 * `TO11_EXPORT_OTLP_ENDPOINT` forwards every span it stores, the gateway's and those ingested
 * over OTLP, to a second all-in-one's collector with that collector's API key as the bearer.
 * With the receiver down, gateway calls keep succeeding and the lost spans are counted in
 * `/metrics` on both processes; once it is back, delivery resumes. The same forwarding declared
 * in `to11.toml` (`[[export.otlp]]`, over gRPC, the key read through `env::`) works alike.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from './src/fake-provider.ts';
import { PROVIDER_KEY } from './src/gateway-client.ts';
import { createAppTracerProvider } from './src/otel-app.ts';
import { readTrace, waitForTrace } from './src/to11-api.ts';
import { type StartedTopology, TOPOLOGIES } from './src/topologies.ts';

const [allInOne] = TOPOLOGIES as [NonNullable<(typeof TOPOLOGIES)[0]>];

/** A port nothing listens on right now, so the receiver can come back on the same address. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** One chat call through the gateway; returns its status and trace id. */
async function chat(gatewayUrl: string, apiKey: string) {
  const response = await fetch(`${gatewayUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${PROVIDER_KEY}`,
      'x-to11-authorization': `Bearer ${apiKey}`,
    },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hello' }],
    }),
  });
  await response.arrayBuffer();
  const traceId = response.headers.get('traceparent')?.split('-')[1] ?? '';
  return { status: response.status, traceId };
}

/** Exports one app span to the collector at `grpcUrl`; returns its trace id. */
async function exportAppSpan(
  grpcUrl: string,
  apiKey: string,
  name: string,
  attributes: Record<string, number | string[]> = {},
): Promise<string> {
  const tracerProvider = createAppTracerProvider({
    grpcUrl,
    ingestToken: apiKey,
    serviceName: 'e2e-forward',
  });
  const span = tracerProvider.getTracer('e2e').startSpan(name, { attributes });
  span.end();
  await tracerProvider.shutdown();
  return span.spanContext().traceId;
}

/** The value of a `/metrics` series whose line starts with `prefix`, summed over matches. */
async function metric(url: string, prefix: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** Polls until `read` is true (the forwarder exports in the background). */
async function eventually(read: () => Promise<boolean>, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await read()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`not within ${timeoutMs} ms: ${what}`);
}

describe('forwarding stored spans to a second OTLP receiver', () => {
  let fake: FakeProvider;
  let receiver: StartedTopology;
  let sender: StartedTopology;
  beforeAll(async () => {
    fake = await startFakeProvider();
    const receiverPort = await freePort();
    receiver = await allInOne.start(fake.baseUrl, {
      TO11_COLLECTOR_HTTP_PORT: String(receiverPort),
    });
    const { httpUrl, apiKey } = receiver.product;
    sender = await allInOne.start(fake.baseUrl, {
      TO11_EXPORT_OTLP_ENDPOINT: httpUrl,
      TO11_EXPORT_OTLP_HEADERS: `authorization=Bearer ${apiKey}`,
      TO11_EXPORT_QUEUE_SPANS: '4',
      TO11_EXPORT_BATCH_SPANS: '2',
      TO11_EXPORT_TIMEOUT_MS: '1500',
    });
  });
  afterAll(async () => {
    await sender?.dispose();
    await receiver?.dispose();
    await fake?.close();
  });

  it('forwards gateway and ingested spans with their attributes', async () => {
    const { gatewayUrl, grpcUrl, apiKey } = sender.product;
    const call = await chat(gatewayUrl, apiKey);
    expect(call.status).toBe(200);
    const forwarded = await waitForTrace(
      receiver.product.httpUrl,
      receiver.product.apiKey,
      call.traceId,
      2,
    );
    const genai = forwarded.spans.find((span) => span.name === 'chat gpt-4o-mini');
    expect(genai?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': expect.any(Number),
    });
    const stored = await readTrace(sender.product.httpUrl, apiKey, call.traceId);
    expect(forwarded.spans.map((span) => span.spanId).sort()).toEqual(
      stored?.spans.map((span) => span.spanId).sort(),
    );

    const appTraceId = await exportAppSpan(grpcUrl, apiKey, 'app work', {
      'app.answer': 42,
      'app.tags': ['a', 'b'],
    });
    const appTrace = await waitForTrace(
      receiver.product.httpUrl,
      receiver.product.apiKey,
      appTraceId,
      1,
    );
    expect(appTrace.spans[0]?.attributes).toMatchObject({
      'app.answer': 42,
      'app.tags': ['a', 'b'],
    });
    // A span is counted once its export's answer is back, which may come after the receiver
    // already serves it.
    await eventually(
      async () => (await metric(gatewayUrl, 'to11_export_spans_total{')) >= 2,
      'the gateway counts its forwarded spans',
    );
    await eventually(
      async () => (await metric(sender.product.httpUrl, 'to11_export_spans_total{')) >= 1,
      'the collector counts its forwarded span',
    );
  });

  it('keeps serving while the receiver is down, counts drops, and resumes', async () => {
    const { gatewayUrl, apiKey } = sender.product;
    await receiver.product.stop();
    // Each call stores two spans; the queue holds four per endpoint, so most are dropped.
    const calls = await Promise.all(Array.from({ length: 12 }, () => chat(gatewayUrl, apiKey)));
    expect(calls.map((call) => call.status)).toEqual(calls.map(() => 200));
    await eventually(
      async () => (await metric(gatewayUrl, 'to11_export_spans_dropped_total{')) > 0,
      'drops counted in the gateway metrics',
    );
    expect(await metric(gatewayUrl, 'to11_export_queue_size')).toBeLessThanOrEqual(4);
    await exportAppSpan(sender.product.grpcUrl, apiKey, 'while down');
    await eventually(
      async () => (await metric(sender.product.httpUrl, 'to11_export_spans_dropped_total{')) > 0,
      'drops counted in the collector metrics',
    );

    receiver = { ...receiver, product: await receiver.restart() };
    // Spans queued while it was down may be dropped after the exporter's retries; new ones arrive.
    await eventually(
      async () => {
        const call = await chat(gatewayUrl, apiKey);
        const trace = await readTrace(
          receiver.product.httpUrl,
          receiver.product.apiKey,
          call.traceId,
        );
        if (trace !== null) return true;
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const later = await readTrace(
          receiver.product.httpUrl,
          receiver.product.apiKey,
          call.traceId,
        );
        return later !== null;
      },
      'a span stored after the receiver came back is forwarded',
      40_000,
    );
  });
});

describe('forwarding declared in to11.toml ([[export.otlp]])', () => {
  let fake: FakeProvider;
  let receiver: StartedTopology;
  let sender: StartedTopology;
  let configDir: string;
  beforeAll(async () => {
    fake = await startFakeProvider();
    receiver = await allInOne.start(fake.baseUrl);
    configDir = mkdtempSync(join(tmpdir(), 'to11-forward-config-'));
    const configPath = join(configDir, 'to11.toml');
    writeFileSync(
      configPath,
      [
        '[[export.otlp]]',
        `endpoint = "${receiver.product.grpcUrl}"`,
        'protocol = "grpc"',
        'headers = { authorization = "env::RECEIVER_AUTHORIZATION" }',
        '',
      ].join('\n'),
    );
    sender = await allInOne.start(fake.baseUrl, {
      TO11_CONFIG: configPath,
      RECEIVER_AUTHORIZATION: `Bearer ${receiver.product.apiKey}`,
    });
  });
  afterAll(async () => {
    await sender?.dispose();
    await receiver?.dispose();
    await fake?.close();
    if (configDir !== undefined) rmSync(configDir, { recursive: true, force: true });
  });

  it('forwards the gateway spans and the ingested spans to the configured endpoint', async () => {
    const { gatewayUrl, grpcUrl, apiKey } = sender.product;
    const call = await chat(gatewayUrl, apiKey);
    expect(call.status).toBe(200);
    const forwarded = await waitForTrace(
      receiver.product.httpUrl,
      receiver.product.apiKey,
      call.traceId,
      2,
    );
    expect(forwarded.spans.map((span) => span.name)).toContain('chat gpt-4o-mini');
    const appTraceId = await exportAppSpan(grpcUrl, apiKey, 'app work from config');
    const appTrace = await waitForTrace(
      receiver.product.httpUrl,
      receiver.product.apiKey,
      appTraceId,
      1,
    );
    expect(appTrace.spans[0]?.name).toBe('app work from config');
  });
});
