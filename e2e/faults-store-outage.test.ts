/**
 * Issue 16, faults: the store goes down for ~20 s while two gateways serve calls through the
 * real OpenAI SDK (SPEC §8: telemetry never breaks traffic). The store is a Postgres of the
 * test's own, stopped with `pg_ctl stop -m fast` while the gateways hold connections mid-COPY
 * (the postgres.js crash of porsager/postgres#1199 took the gateway down there).
 *
 * - Gateway A, default buffer (10,000 spans): every call succeeds; once the store is back,
 *   every span of every call is stored and none is counted as dropped.
 * - Gateway B, `TO11_GATEWAY_SPAN_BUFFER=40`: every call succeeds; the overflow is counted in
 *   `to11_spans_dropped_total`, logged at most once a second, and every span not counted as
 *   dropped is stored (sent = stored + dropped).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from './src/fake-provider.ts';
import {
  countStoredSpans,
  eventually,
  median,
  pause,
  scrapeMetric,
  startCallLoad,
} from './src/fault-load.ts';
import { type PrivatePostgres, startPrivatePostgres } from './src/private-postgres.ts';
import type { ProductProcess } from './src/product-process.ts';
import {
  E2E_API_KEY,
  type RunningProduct,
  startGatewayProcess,
  startSeparate,
} from './src/topology.ts';

const OUTAGE_MS = 20_000;
const SMALL_BUFFER = 40;
/** Gateway spans per successful chat call: the HTTP server span and the GenAI span. */
const SPANS_PER_CALL = 2;
const OVERFLOW_LINE = 'span buffer full: gateway spans dropped';

/** Whether the process is still running. */
function alive(process: ProductProcess): Promise<boolean> {
  return Promise.race([process.exited.then(() => false), pause(50).then(() => true)]);
}

/** Pino lines of `output` whose `msg` is `message`. */
function logLines(output: string, message: string): { time: number }[] {
  return output
    .split('\n')
    .filter((line) => line.includes(`"msg":"${message}"`))
    .map((line) => JSON.parse(line) as { time: number });
}

describe('a 20 s store outage under load (private Postgres, pg_ctl stop -m fast)', () => {
  let pg: PrivatePostgres;
  let fake: FakeProvider;
  let product: RunningProduct;
  let small: ProductProcess;
  let smallUrl: string;

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    fake = await startFakeProvider({ chunkDelayMs: 2 });
    product = await startSeparate({ providerBaseUrl: fake.baseUrl, databaseUrl: pg.url });
    const second = await startGatewayProcess({
      providerBaseUrl: fake.baseUrl,
      databaseUrl: pg.url,
      env: { TO11_GATEWAY_SPAN_BUFFER: String(SMALL_BUFFER) },
    });
    small = second.process;
    smallUrl = second.gatewayUrl;
  });

  afterAll(async () => {
    await small?.stop();
    await product?.stop();
    await fake?.close();
    await pg?.dispose();
  });

  it('serves every call, stores every buffered span, and counts and logs the overflow of a small buffer', async () => {
    const [gateway, collector] = product.processes;
    if (gateway === undefined || collector === undefined) throw new Error('no processes');
    const loadA = startCallLoad({
      gatewayUrl: product.gatewayUrl,
      apiKey: product.apiKey,
      concurrency: 4,
      pauseMs: 20,
    });
    const loadB = startCallLoad({
      gatewayUrl: smallUrl,
      apiKey: E2E_API_KEY,
      concurrency: 2,
      pauseMs: 40,
    });
    await pause(2_000);
    const beforeOutage = loadA.report.latenciesMs.length;
    await pg.stop('fast');
    const stoppedAt = Date.now();
    await pause(OUTAGE_MS);
    const duringOutage = loadA.report.latenciesMs.slice(beforeOutage);
    const spansBeforeRestart = SPANS_PER_CALL * loadB.report.succeeded;
    await pg.start();
    const outageMs = Date.now() - stoppedAt;
    await pause(1_000);
    const a = await loadA.stop();
    const b = await loadB.stop();

    expect(a.failures.slice(0, 3), 'gateway A: failed calls').toEqual([]);
    expect(b.failures.slice(0, 3), 'gateway B: failed calls').toEqual([]);
    for (const process of [gateway, collector, small]) {
      expect(await alive(process), `${process.name} survived:\n${process.output()}`).toBe(true);
      expect(process.output()).not.toMatch(/TypeError|uncaught/i);
    }

    const sentA = SPANS_PER_CALL * a.succeeded;
    await eventually(
      async () => (await countStoredSpans(pg.url, a.traceIds)) === sentA,
      `gateway A: all ${sentA} spans stored`,
      45_000,
    );
    expect(await scrapeMetric(product.gatewayUrl, 'to11_spans_dropped_total')).toBe(0);

    const sentB = SPANS_PER_CALL * b.succeeded;
    let storedB = 0;
    let droppedB = 0;
    await eventually(
      async () => {
        storedB = await countStoredSpans(pg.url, b.traceIds);
        droppedB = await scrapeMetric(smallUrl, 'to11_spans_dropped_total');
        return (
          storedB + droppedB === sentB &&
          (await scrapeMetric(smallUrl, 'to11_span_buffer_size')) === 0
        );
      },
      `gateway B: stored + dropped = ${sentB} sent`,
      45_000,
    );
    expect(droppedB, 'the small buffer overflowed').toBeGreaterThan(0);
    expect(
      spansBeforeRestart,
      'the outage produced more spans than the buffer holds',
    ).toBeGreaterThan(SMALL_BUFFER);
    const warnings = logLines(small.output(), OVERFLOW_LINE);
    expect(warnings.length).toBeGreaterThan(0);
    for (let i = 1; i < warnings.length; i++) {
      const gap = (warnings[i]?.time ?? 0) - (warnings[i - 1]?.time ?? 0);
      expect(gap, 'overflow warnings at most once a second').toBeGreaterThanOrEqual(1_000);
    }

    console.log(
      JSON.stringify({
        outageMs,
        gatewayA: {
          calls: a.succeeded,
          sentSpans: sentA,
          stored: sentA,
          dropped: 0,
          medianLatencyMsBefore: median(a.latenciesMs.slice(0, beforeOutage)),
          medianLatencyMsDuring: median(duringOutage),
        },
        gatewayB: { calls: b.succeeded, sentSpans: sentB, stored: storedB, dropped: droppedB },
        overflowWarnings: warnings.length,
      }),
    );
  }, 90_000);
});
