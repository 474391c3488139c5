/**
 * Issue 16, faults: SIGTERM to a gateway under load (SPEC §8), past what graceful-shutdown.test.ts
 * covers (one stream). Gateways on a private Postgres, with the collector left running to read.
 *
 * - 24 streams in flight at SIGTERM: every accepted call finishes with the whole answer, every
 *   span is flushed to the store, exit 0.
 * - Streams longer than `TO11_GATEWAY_SHUTDOWN_GRACE_MS`: at the deadline they are cut and the
 *   cut is counted in the log; the process still flushes and exits 0.
 * - A sustained load (streamed and non-streamed calls in 16 loops) for `E2E_SHUTDOWN_LOAD_S`
 *   seconds (default 20; 120 for the 2 minutes), then SIGTERM while it runs: every call
 *   answered 200 has its whole answer, the calls sent after the signal are refused cleanly (no
 *   answer, or 503), nothing is cut, spans stored = 2 x completed calls, exit 0.
 */

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_ANSWER, type FakeProvider, startFakeProvider } from './src/fake-provider.ts';
import { countStoredSpans, eventually, pause, runLoops } from './src/fault-load.ts';
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
const LOAD_S = Number(process.env.E2E_SHUTDOWN_LOAD_S ?? 20);
const LOAD_LOOPS = 16;

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

  it(
    'drains a sustained load at SIGTERM: every accepted call whole, later ones refused, every span stored, exit 0',
    async () => {
      fake.options.chunkDelayMs = 20;
      const gateway = await startGatewayProcess({
        providerBaseUrl: fake.baseUrl,
        databaseUrl: pg.url,
        env: { TO11_GATEWAY_SHUTDOWN_GRACE_MS: '30000' },
      });
      gateways.push(gateway);
      const openai = gatewayOpenAI(gateway.gatewayUrl, E2E_API_KEY).withOptions({
        maxRetries: 0,
      });
      const report = {
        sent: 0,
        completed: [] as string[],
        /** Answered 200 but the body was not whole: must stay 0. */
        incomplete: 0,
        /** No answer or 503, after the signal. */
        refused: 0,
        /** Of those, refused with 503 (on a keep-alive connection opened before the signal). */
        refused503: 0,
        /** No answer or an error, before the signal: must stay 0. */
        failedBefore: [] as string[],
        sentAfterSignal: 0,
      };
      let signalledAt = 0;
      let n = 0;
      const load = runLoops(LOAD_LOOPS, report, async () => {
        const traceId = randomBytes(16).toString('hex');
        const headers = { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` };
        const messages = [{ role: 'user' as const, content: 'Tell a story.' }];
        const streamed = n++ % 2 === 0;
        const afterSignal = signalledAt > 0;
        report.sent++;
        if (afterSignal) report.sentAfterSignal++;
        let answered = false;
        try {
          let text = '';
          if (streamed) {
            const { data, response } = await openai.chat.completions
              .create({ model: 'gpt-4o-mini', messages, stream: true }, { headers })
              .withResponse();
            answered = response.status === 200;
            for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? '';
          } else {
            const answer = await openai.chat.completions.create(
              { model: 'gpt-4o-mini', messages },
              { headers },
            );
            answered = true;
            text = answer.choices[0]?.message.content ?? '';
          }
          if (text === FAKE_ANSWER) report.completed.push(traceId);
          else report.incomplete++;
        } catch (error) {
          const status = (error as { status?: number }).status;
          if (answered) report.incomplete++;
          else if (signalledAt > 0 && (status === undefined || status === 503)) {
            report.refused++;
            if (status === 503) report.refused503++;
            // Refused at once (connection refused): do not spin.
            await pause(20);
          } else report.failedBefore.push(String(error));
        }
      });
      await pause(LOAD_S * 1000);
      signalledAt = Date.now();
      const exit = gateway.process.stop('SIGTERM', 60_000);
      const status = await exit;
      const exitMs = Date.now() - signalledAt;
      // Calls keep coming for a moment after the exit: each must be refused too.
      await pause(500);
      await load.stop();
      const expected = 2 * report.completed.length;
      const stored = await countStoredSpans(pg.url, report.completed);
      console.log(
        JSON.stringify({
          case: 'sustained load',
          loadSeconds: LOAD_S,
          loops: LOAD_LOOPS,
          sent: report.sent,
          completed: report.completed.length,
          refused: report.refused,
          refused503: report.refused503,
          sentAfterSignal: report.sentAfterSignal,
          incomplete: report.incomplete,
          failedBeforeSignal: report.failedBefore.length,
          spansExpected: expected,
          spansStored: stored,
          exitMs,
          exit: status,
        }),
      );
      expect(status, gateway.process.output()).toEqual({ code: 0, signal: null });
      expect(report.failedBefore.slice(0, 3)).toEqual([]);
      expect(report.incomplete).toBe(0);
      expect(report.refused).toBeGreaterThan(0);
      expect(gateway.process.output()).not.toContain('shutdown grace over');
      expect(stored).toBe(expected);
      fake.options.chunkDelayMs = 150;
    },
    LOAD_S * 1000 + 120_000,
  );
});
