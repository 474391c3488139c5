import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fromBinary } from '@bufbuild/protobuf';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  decodeRequestSpans,
  decodeSpans,
  ExportTraceServiceRequestSchema,
  isOtlpDecodeError,
} from '@to11/trace-core';
import { describe, expect, it } from 'vitest';
import { spanToJson } from '../src/read-api/span-json.ts';
import { buildSpanFixture, type SpanFixture } from './span-fixture.ts';

/** The bytes the official OTLP/HTTP protobuf exporter sends for the SDK fixture. */
async function exporterBytes(fixture: SpanFixture): Promise<Uint8Array> {
  let body = Buffer.alloc(0);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      body = Buffer.concat(chunks);
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const exporter = new OTLPTraceExporter({ url: `http://127.0.0.1:${port}/v1/traces` });
  await new Promise((resolve) => exporter.export(fixture.spans, resolve));
  await exporter.shutdown();
  await new Promise((resolve) => server.close(resolve));
  return new Uint8Array(body);
}

describe('the span decoder on what the official exporter sends', () => {
  it('gives the read-API spans of the SDK fixture, and the same as after fromBinary', async () => {
    const fixture = await buildSpanFixture();
    const bytes = await exporterBytes(fixture);
    expect(bytes.length).toBeGreaterThan(100);
    const limited = { projectId: 'proj_b', limits: { maxAttributesPerSpan: 2 } };
    for (const options of [{ projectId: 'proj_a' }, limited]) {
      const decoded = decodeSpans(bytes, options);
      const viaMessages = decodeRequestSpans(
        fromBinary(ExportTraceServiceRequestSchema, bytes),
        options,
      );
      expect(decoded).toEqual(viaMessages);
    }
    const decoded = decodeSpans(bytes, { projectId: 'proj_a' });
    if (isOtlpDecodeError(decoded)) throw new Error(decoded.error);
    expect(decoded.rejected).toEqual([]);
    const ofTrace = decoded.spans
      .filter((span) => span.traceId === fixture.traceId)
      .sort((a, b) => (a.startTimeUnixNano < b.startTimeUnixNano ? -1 : 1));
    expect(ofTrace.map(spanToJson)).toEqual(fixture.expected('proj_a'));
    expect(decoded.spans.map((span) => span.traceId)).toContain(fixture.linkedTraceId);
  });
});
