/**
 * Issue 16, faults: SIGTERM to a gateway under load (SPEC §8), past what graceful-shutdown.test.ts
 * covers (one stream). Gateways on a private Postgres, with the collector left running to read.
 *
 * - 24 streams in flight at SIGTERM: every accepted call finishes with the whole answer, every
 *   span is flushed to the store, exit 0.
 * - Streams longer than `TO11_GATEWAY_SHUTDOWN_GRACE_MS`: at the deadline they are cut and the
 *   cut is counted in the log; the process still flushes and exits 0.
 */

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_ANSWER, type FakeProvider, startFakeProvider } from './src/fake-provider.ts';
import { countStoredSpans, eventually } from './src/fault-load.ts';
import { gatewayOpenAI } from './src/gateway-client.ts';
import { type PrivatePostgres, startPrivatePostgres } from './src/private-postgres.ts';
import type { RunningCollector } from './src/topology.ts';
import {
  E2E_API_KEY,
  type RunningGateway,
  startCollector,
  startGatewayProcess,
} from './src/topology.ts';

const STREAMS = 24;
const GRACE_MS = 3_000;

interface StreamRun {
  traceId: string;
  /** Resolves with the text received, or the error that ended the stream. */
  done: Promise<{ text: string; error?: unknown }>;
  /** Resolves once the first content arrived. */
  started: Promise<void>;
}

function startStream(gatewayUrl: string): StreamRun {
  const openai = gatewayOpenAI(gatewayUrl, E2E_API_KEY).withOptions({ maxRetries: 0 });
  const traceId = randomBytes(16).toString('hex');
  let markStarted: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    markStarted = resolve;
  });
  const done = (async () => {
    let text = '';
    try {
      const stream = await openai.chat.completions.create(
        {
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'Tell a story.' }],
          stream: true,
        },
        { headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } },
      );
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        if (text !== '') markStarted();
      }
      return { text };
    } catch (error) {
      markStarted();
      return { text, error };
    }
  })();
  return { traceId, done, started };
}

describe('SIGTERM to a gateway under load (private Postgres)', () => {
  let pg: PrivatePostgres;
  let fake: FakeProvider;
  let collector: RunningCollector;
  const gateways: RunningGateway[] = [];

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    fake = await startFakeProvider({ chunkDelayMs: 150 });
    collector = await startCollector({
      databaseUrl: pg.url,
      tokenSecret: randomBytes(32).toString('hex'),
    });
  });

  afterAll(async () => {
    for (const gateway of gateways) await gateway.process.stop();
    await collector?.process.stop();
    await fake?.close();
    await pg?.dispose();
  });

  it('finishes every accepted stream, flushes every span and exits 0', async () => {
    fake.options.chunkDelayMs = 150;
    const gateway = await startGatewayProcess({
      providerBaseUrl: fake.baseUrl,
      databaseUrl: pg.url,
      env: { TO11_GATEWAY_SHUTDOWN_GRACE_MS: '30000' },
    });
    gateways.push(gateway);
    const runs = Array.from({ length: STREAMS }, () => startStream(gateway.gatewayUrl));
    await Promise.all(runs.map((run) => run.started));
    const exit = gateway.process.stop('SIGTERM');
    const results = await Promise.all(runs.map((run) => run.done));
    expect(results.map((result) => result.error)).toEqual(runs.map(() => undefined));
    expect(results.every((result) => result.text === FAKE_ANSWER)).toBe(true);
    expect(await exit, gateway.process.output()).toEqual({ code: 0, signal: null });
    // Flushed before the exit: no wait needed, the process is gone.
    const traceIds = runs.map((run) => run.traceId);
    expect(await countStoredSpans(pg.url, traceIds)).toBe(2 * STREAMS);
    console.log(JSON.stringify({ case: 'drain', streams: STREAMS, storedSpans: 2 * STREAMS }));
  });

  it('cuts the streams still running at the grace deadline, counts them in the log, flushes and exits 0', async () => {
    const gateway = await startGatewayProcess({
      providerBaseUrl: fake.baseUrl,
      databaseUrl: pg.url,
      env: { TO11_GATEWAY_SHUTDOWN_GRACE_MS: String(GRACE_MS) },
    });
    gateways.push(gateway);
    // Each stream would take ~13 × 1 s: far past the grace period.
    fake.options.chunkDelayMs = 1_000;
    const runs = Array.from({ length: 4 }, () => startStream(gateway.gatewayUrl));
    await Promise.all(runs.map((run) => run.started));
    const exit = gateway.process.stop('SIGTERM');
    const results = await Promise.all(runs.map((run) => run.done));
    expect(await exit, gateway.process.output()).toEqual({ code: 0, signal: null });
    expect(results.every((result) => result.text !== FAKE_ANSWER)).toBe(true);
    const cutLine = gateway.process
      .output()
      .split('\n')
      .find((line) => line.includes('shutdown grace over: in-flight calls cut'));
    expect(cutLine, gateway.process.output()).toBeDefined();
    expect((JSON.parse(cutLine ?? '{}') as { cut?: number }).cut).toBe(runs.length);
    const traceIds = runs.map((run) => run.traceId);
    let stored = 0;
    await eventually(async () => {
      stored = await countStoredSpans(pg.url, traceIds);
      return stored === 2 * runs.length;
    }, 'the spans of the cut calls are stored');
    console.log(JSON.stringify({ case: 'cut', streams: runs.length, storedSpans: stored }));
    fake.options.chunkDelayMs = 150;
  });
});
