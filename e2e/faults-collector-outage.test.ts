/**
 * Issue 16, faults: the collector's store goes down (a private Postgres, `pg_ctl stop -m fast`).
 * The collector answers 503 / gRPC UNAVAILABLE with `Retry-After` (SPEC §6: never 200 for spans
 * it has not committed). The official OTLP/HTTP exporter retries and gets every batch through
 * once the store is back. The official OTLP/gRPC exporter of OTel JS (0.223.1) does not retry:
 * its transport resolves every gRPC error as a final 'failure' (grpc-exporter-transport.js), so
 * it reports the batches of the outage as failed, which is the truth (not one was acknowledged).
 * Either way every span an exporter was told was accepted is in the store.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:http2';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countStoredSpans, pause } from './src/fault-load.ts';
import { createIngestExporter } from './src/otel-app.ts';
import { makeBatch, postBatch, protobufBody, type SpanBatch } from './src/otlp-batches.ts';
import { type PrivatePostgres, startPrivatePostgres } from './src/private-postgres.ts';
import { E2E_API_KEY, type RunningCollector, startCollector } from './src/topology.ts';

const SPANS_PER_BATCH = 20;
/** Exports are started during this part of the outage; the store returns right after. */
const EXPORT_WINDOW_MS = 2_000;

interface Exporter {
  export(
    spans: SpanBatch['spans'],
    done: (result: { code: ExportResultCode; error?: Error }) => void,
  ): void;
  shutdown(): Promise<void>;
}

/** Exports one batch; resolves with whether the exporter reported success. */
function exportBatch(exporter: Exporter, batch: SpanBatch): Promise<boolean> {
  return new Promise((resolve) =>
    exporter.export(batch.spans, (result) => resolve(result.code === ExportResultCode.SUCCESS)),
  );
}

/** One raw gRPC Export call; resolves with `grpc-status` and `retry-after` (headers or trailers). */
function grpcExport(grpcUrl: string, batch: SpanBatch): Promise<Record<string, string>> {
  const message = protobufBody(batch);
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  return new Promise((resolve, reject) => {
    const session = connect(grpcUrl);
    session.on('error', reject);
    const seen: Record<string, string> = {};
    const keep = (headers: Record<string, unknown>) => {
      for (const name of ['grpc-status', 'retry-after']) {
        if (typeof headers[name] === 'string') seen[name] = headers[name] as string;
      }
    };
    const stream = session.request({
      ':method': 'POST',
      ':path': '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      'content-type': 'application/grpc',
      te: 'trailers',
      authorization: `Bearer ${E2E_API_KEY}`,
    });
    stream.on('response', keep);
    stream.on('trailers', keep);
    stream.on('data', () => {});
    stream.on('end', () => {
      session.close();
      resolve(seen);
    });
    stream.on('error', reject);
    stream.end(frame);
  });
}

describe('the collector during a store outage (private Postgres)', () => {
  let pg: PrivatePostgres;
  let collector: RunningCollector;
  let exporters: { name: string; exporter: Exporter }[];

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    collector = await startCollector({
      databaseUrl: pg.url,
      tokenSecret: randomBytes(32).toString('hex'),
    });
    exporters = [
      {
        name: 'OTLP/HTTP protobuf',
        exporter: new ProtoExporter({
          url: `${collector.httpUrl}/v1/traces`,
          headers: { authorization: `Bearer ${E2E_API_KEY}` },
          timeoutMillis: 30_000,
        }),
      },
      {
        name: 'OTLP/gRPC',
        exporter: createIngestExporter({
          grpcUrl: collector.grpcUrl,
          ingestToken: E2E_API_KEY,
          timeoutMillis: 30_000,
        }),
      },
    ];
  });

  afterAll(async () => {
    await Promise.all((exporters ?? []).map(({ exporter }) => exporter.shutdown()));
    await collector?.process.stop();
    await pg?.dispose();
  });

  it('answers 503 / UNAVAILABLE with Retry-After; the OTLP/HTTP exporter retries; every accepted span is stored', async () => {
    for (const { name, exporter } of exporters) {
      expect(await exportBatch(exporter, makeBatch(SPANS_PER_BATCH)), `${name} warm-up`).toBe(true);
    }
    await pg.stop('fast');

    const http = await postBatch(collector.httpUrl, E2E_API_KEY, makeBatch(SPANS_PER_BATCH));
    expect(http.status).toBe(503);
    expect(Number(http.retryAfter)).toBeGreaterThan(0);
    const grpc = await grpcExport(collector.grpcUrl, makeBatch(SPANS_PER_BATCH));
    expect(grpc['grpc-status'], 'gRPC UNAVAILABLE').toBe('14');
    expect(Number(grpc['retry-after'])).toBeGreaterThan(0);

    const exports: { name: string; batch: SpanBatch; accepted: Promise<boolean> }[] = [];
    const windowEnd = Date.now() + EXPORT_WINDOW_MS;
    while (Date.now() < windowEnd) {
      for (const { name, exporter } of exporters) {
        const batch = makeBatch(SPANS_PER_BATCH);
        exports.push({ name, batch, accepted: exportBatch(exporter, batch) });
      }
      await pause(200);
    }
    await pg.start();
    const outcomes = await Promise.all(exports.map((entry) => entry.accepted));

    const accepted = exports.filter((_, i) => outcomes[i]);
    const acceptedSpans = accepted.length * SPANS_PER_BATCH;
    const stored = await countStoredSpans(
      pg.url,
      accepted.map(({ batch }) => batch.traceId),
    );
    console.log(
      JSON.stringify({
        exportsDuringOutage: exports.length,
        sentSpans: exports.length * SPANS_PER_BATCH,
        acceptedSpans,
        stored,
        perExporter: exporters.map(({ name }) => ({
          name,
          exports: exports.filter((entry) => entry.name === name).length,
          accepted: accepted.filter((entry) => entry.name === name).length,
        })),
      }),
    );
    const outcomesOf = (name: string) =>
      exports.flatMap((entry, i) => (entry.name === name ? [outcomes[i]] : []));
    // Every OTLP/HTTP export started during the outage got through on a retry.
    expect(outcomesOf('OTLP/HTTP protobuf').every(Boolean)).toBe(true);
    expect(stored).toBe(acceptedSpans);
    // The gRPC exporter gave up at once; with the store back, its next export is accepted.
    const grpcExporter = exporters[1]?.exporter;
    if (grpcExporter === undefined) throw new Error('no gRPC exporter');
    const after = makeBatch(SPANS_PER_BATCH);
    expect(await exportBatch(grpcExporter, after)).toBe(true);
    expect(await countStoredSpans(pg.url, [after.traceId])).toBe(SPANS_PER_BATCH);
    expect(collector.process.output()).not.toMatch(/TypeError|uncaught/i);
  });
});
