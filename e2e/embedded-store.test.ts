/**
 * The embedded store of the all-in-one (PGlite in TO11_DATA_DIR) as users run it: one process
 * per data directory (a second one is refused, naming the first), and a span the collector
 * acknowledged to the official exporter survives `kill -9` of the process; the next start takes
 * over the dead process's lock.
 */
import { rmSync } from 'node:fs';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from './src/fake-provider.ts';
import { createIngestExporter } from './src/otel-app.ts';
import { ENTRY_POINTS, spawnProduct } from './src/product-process.ts';
import { exchangeIngestToken, waitForTrace } from './src/to11-api.ts';
import { freshDataDir, type RunningProduct, startAllInOne } from './src/topology.ts';

const SPANS = 40;

/** `SPANS` finished spans of one trace, made by the OTel SDK; returns them and the trace id. */
async function sdkSpans() {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'kill-nine' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('e2e');
  const root = tracer.startSpan('root');
  const parent = trace.setSpan(ROOT_CONTEXT, root);
  for (let i = 0; i < SPANS - 1; i++) tracer.startSpan(`step ${i}`, {}, parent).end();
  root.end();
  await provider.forceFlush();
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return { spans, traceId: spans[0]?.spanContext().traceId ?? '' };
}

describe('the all-in-one on the embedded store', () => {
  let fake: FakeProvider;
  let dataDir: string;
  const running: RunningProduct[] = [];

  beforeAll(async () => {
    fake = await startFakeProvider();
    dataDir = freshDataDir();
  });

  afterAll(async () => {
    await Promise.all(running.map((product) => product.stop()));
    await fake?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a second process on the same data dir with a message naming the first', async () => {
    const first = await startAllInOne({ providerBaseUrl: fake.baseUrl, dataDir });
    running.push(first);
    const second = spawnProduct('second', ENTRY_POINTS.allInOne, {
      TO11_DATA_DIR: dataDir,
      TO11_GATEWAY_PORT: '0',
      TO11_COLLECTOR_GRPC_PORT: '0',
      TO11_COLLECTOR_HTTP_PORT: '0',
    });
    expect(await second.exited).toEqual({ code: 1, signal: null });
    const pid = first.processes[0]?.pid;
    expect(second.output()).toContain(
      `to11: the data directory ${dataDir} is in use by another to11 process (pid ${pid})`,
    );
    // The first one still serves.
    expect((await fetch(`${first.httpUrl}/health`)).status).toBe(200);
  });

  it('keeps every acknowledged span through kill -9 and restarts on the dead process lock', async () => {
    const product = running.pop();
    if (product === undefined) throw new Error('the first test did not start the product');
    const { spans, traceId } = await sdkSpans();
    expect(spans).toHaveLength(SPANS);
    const exporter = createIngestExporter({
      grpcUrl: product.grpcUrl,
      ingestToken: await exchangeIngestToken(product.httpUrl, product.apiKey),
    });
    const result = await new Promise<{ code: ExportResultCode; error?: Error }>((done) =>
      exporter.export(spans, done),
    );
    expect(result.error).toBeUndefined();
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    // Acknowledged: now kill the process without any chance to flush or close.
    expect(await product.processes[0]?.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    await exporter.shutdown();

    const restarted = await startAllInOne({ providerBaseUrl: fake.baseUrl, dataDir });
    running.push(restarted);
    const stored = await waitForTrace(restarted.httpUrl, restarted.apiKey, traceId, SPANS);
    expect(stored.spans.map((span) => span.name).sort()).toEqual(
      spans.map((span) => span.name).sort(),
    );
  });
});
