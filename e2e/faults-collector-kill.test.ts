/**
 * Issue 16, faults: the collector is killed with SIGKILL in the middle of a load run (a client
 * posting OTLP/HTTP protobuf batches and counting the ones answered 200). Durable
 * acknowledgement (SPEC §6) means every acknowledged span is in the store after a restart:
 * the collector alone on Postgres, and the all-in-one on its embedded store (PGlite data dir).
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { countStoredSpans, eventually, pause } from './src/fault-load.ts';
import { type BatchLoadReport, startBatchLoad } from './src/otlp-batches.ts';
import { type PrivatePostgres, startPrivatePostgres } from './src/private-postgres.ts';
import type { ProductProcess } from './src/product-process.ts';
import { readTrace } from './src/to11-api.ts';
import { E2E_API_KEY, freshDataDir, startAllInOne, startCollector } from './src/topology.ts';

const BATCH_SPANS = 50;
/** No provider is called: the gateway of the all-in-one needs a base URL all the same. */
const NO_PROVIDER = 'http://127.0.0.1:9/v1';

/** Loads `httpUrl` until enough batches are acknowledged, then SIGKILLs `process` mid-load. */
async function killMidLoad(httpUrl: string, process: ProductProcess): Promise<BatchLoadReport> {
  const load = startBatchLoad({
    httpUrl,
    apiKey: E2E_API_KEY,
    concurrency: 4,
    batchSize: BATCH_SPANS,
  });
  await eventually(async () => load.report.acknowledged.length >= 40, '40 acknowledged batches');
  await pause(500);
  const status = await process.stop('SIGKILL');
  expect(status.signal).toBe('SIGKILL');
  return load.stop();
}

function summary(name: string, report: BatchLoadReport, storedAcknowledged: number) {
  const acknowledged = report.acknowledged.length * BATCH_SPANS;
  return JSON.stringify({
    name,
    sentSpans: report.sent.length * BATCH_SPANS,
    acknowledgedSpans: acknowledged,
    storedOfAcknowledged: storedAcknowledged,
    lost: acknowledged - storedAcknowledged,
    refused: report.refused,
  });
}

describe('the collector killed with SIGKILL mid-load', () => {
  let pg: PrivatePostgres | undefined;
  const cleanups: (() => Promise<void>)[] = [];

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await pg?.dispose();
  });

  it('keeps every acknowledged span (collector on Postgres)', async () => {
    pg = await startPrivatePostgres();
    const databaseUrl = pg.url;
    const tokenSecret = randomBytes(32).toString('hex');
    const first = await startCollector({ databaseUrl, tokenSecret });
    cleanups.push(() => first.process.stop().then(() => {}));
    const report = await killMidLoad(first.httpUrl, first.process);

    const second = await startCollector({ databaseUrl, tokenSecret });
    cleanups.push(() => second.process.stop().then(() => {}));
    const stored = await countStoredSpans(databaseUrl, report.acknowledged);
    console.log(summary('collector on Postgres', report, stored));
    expect(report.sent.length).toBeGreaterThan(report.acknowledged.length);
    expect(stored).toBe(report.acknowledged.length * BATCH_SPANS);
  });

  it('keeps every acknowledged span (all-in-one on the embedded store)', async () => {
    const dataDir = freshDataDir();
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const first = await startAllInOne({ providerBaseUrl: NO_PROVIDER, dataDir });
    const [firstProcess] = first.processes;
    if (firstProcess === undefined) throw new Error('no process');
    cleanups.push(() => first.stop().then(() => {}));
    const report = await killMidLoad(first.httpUrl, firstProcess);

    const second = await startAllInOne({ providerBaseUrl: NO_PROVIDER, dataDir });
    cleanups.push(() => second.stop().then(() => {}));
    let stored = 0;
    for (const traceId of report.acknowledged) {
      stored += (await readTrace(second.httpUrl, E2E_API_KEY, traceId))?.spans.length ?? 0;
    }
    console.log(summary('all-in-one on PGlite', report, stored));
    expect(report.sent.length).toBeGreaterThan(report.acknowledged.length);
    expect(stored).toBe(report.acknowledged.length * BATCH_SPANS);
  });
});
