/**
 * The embedded store of the all-in-one (TO11_DATA_DIR) as users run it, on both embedded
 * engines: one process per data directory (a second one is refused, naming the first), and a
 * span the collector acknowledged to the official exporter survives `kill -9` of the process;
 * the next start takes over the dead process's lock (and, on Postgres, the server the dead
 * process left is gone: its watchdog stopped it, or the new start did).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
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

/** The postmaster PID a Postgres data directory names, or null. */
function postmasterOf(dataDir: string): number | null {
  const file = join(dataDir, 'postgres', 'postmaster.pid');
  if (!existsSync(file)) return null;
  return Number.parseInt(readFileSync(file, 'utf8').split('\n')[0] ?? '', 10);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.each(['postgres', 'pglite'])('the all-in-one on the embedded store (%s)', (engine) => {
  let fake: FakeProvider;
  let dataDir: string;
  const running: RunningProduct[] = [];
  const env = { TO11_EMBEDDED_ENGINE: engine };

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
    const first = await startAllInOne({ providerBaseUrl: fake.baseUrl, dataDir, env });
    running.push(first);
    const second = spawnProduct('second', ENTRY_POINTS.allInOne, {
      ...env,
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
    const postmaster = postmasterOf(dataDir);
    expect(postmaster === null).toBe(engine === 'pglite');
    // Acknowledged: now kill the process without any chance to flush or close.
    expect(await product.processes[0]?.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    await exporter.shutdown();

    const restarted = await startAllInOne({ providerBaseUrl: fake.baseUrl, dataDir, env });
    running.push(restarted);
    const stored = await waitForTrace(restarted.httpUrl, restarted.apiKey, traceId, SPANS);
    expect(stored.spans.map((span) => span.name).sort()).toEqual(
      spans.map((span) => span.name).sort(),
    );
    if (postmaster !== null) {
      expect(alive(postmaster)).toBe(false);
      expect(postmasterOf(dataDir)).not.toBe(postmaster);
    }
  });
});
