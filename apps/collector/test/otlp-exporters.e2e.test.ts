import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { testEngines } from '@to11/store/testing';
import {
  ExportTraceServiceRequestSchema,
  ExportTraceServiceResponseSchema,
} from '@to11/trace-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.ts';
import { createExporter, EXPORTER_KINDS, exportOnce, succeeded } from './otel-exporters.ts';
import { readTrace } from './read-api-client.ts';
import { buildSpanFixture } from './span-fixture.ts';

describe.each(testEngines())('official OTLP exporters into the %s store', (engine) => {
  let harness: Harness;
  let token: string;
  beforeAll(async () => {
    harness = await startHarness(engine);
    token = await harness.ingestToken();
  });
  afterAll(() => harness?.close());

  describe.each(EXPORTER_KINDS)('%s exporter', (kind) => {
    it.each([false, true])(
      'stores every field of SDK spans, readable as soon as forceFlush returns (gzip %s)',
      async (gzip) => {
        const target = { grpcUrl: harness.grpcUrl, httpUrl: harness.httpUrl, token, gzip };
        const exporter = createExporter(kind, target);
        const fixture = await buildSpanFixture([new BatchSpanProcessor(exporter)]);
        const reply = await readTrace(harness, fixture.traceId);
        expect(reply.status).toBe(200);
        expect(reply.body.traceId).toBe(fixture.traceId);
        expect(reply.body.spans).toEqual(fixture.expected(harness.projectId));
      },
    );

    it('stores a re-sent batch once', async () => {
      const fixture = await buildSpanFixture();
      const target = { grpcUrl: harness.grpcUrl, httpUrl: harness.httpUrl, token, gzip: false };
      expect(succeeded(await exportOnce(kind, target, fixture.spans))).toBe(true);
      expect(succeeded(await exportOnce(kind, target, fixture.spans))).toBe(true);
      const reply = await readTrace(harness, fixture.traceId);
      expect(reply.body.spans).toEqual(fixture.expected(harness.projectId));
    });
  });

  it('keeps bytes, int64 beyond 2^53, kvlists and empty values from a hand-built request', async () => {
    const traceId = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
    const spanId = Uint8Array.from({ length: 8 }, (_, i) => 0xa0 + i);
    const request = create(ExportTraceServiceRequestSchema, {
      resourceSpans: [
        {
          resource: {
            attributes: [
              { key: 'service.name', value: { value: { case: 'stringValue', value: 'raw' } } },
            ],
          },
          scopeSpans: [
            {
              scope: { name: 'raw-scope' },
              spans: [
                {
                  traceId,
                  spanId,
                  name: 'raw',
                  kind: 3,
                  startTimeUnixNano: 1_774_459_800_000_000_001n,
                  endTimeUnixNano: 1_774_459_800_000_000_002n,
                  attributes: [
                    {
                      key: 'bytes',
                      value: {
                        value: { case: 'bytesValue', value: Uint8Array.of(0, 1, 254, 255) },
                      },
                    },
                    {
                      key: 'big',
                      value: { value: { case: 'intValue', value: 9_007_199_254_740_993n } },
                    },
                    { key: 'small', value: { value: { case: 'intValue', value: -7n } } },
                    {
                      key: 'map',
                      value: {
                        value: {
                          case: 'kvlistValue',
                          value: {
                            values: [
                              { key: 'k', value: { value: { case: 'boolValue', value: true } } },
                            ],
                          },
                        },
                      },
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    const response = await harness.http('/v1/traces', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-protobuf' },
      body: toBinary(ExportTraceServiceRequestSchema, request),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-protobuf');
    const answer = fromBinary(
      ExportTraceServiceResponseSchema,
      new Uint8Array(await response.arrayBuffer()),
    );
    expect(answer.partialSuccess).toBeUndefined();
    const reply = await readTrace(harness, '0102030405060708090a0b0c0d0e0f10');
    expect(reply.body.spans).toEqual([
      expect.objectContaining({
        spanId: 'a0a1a2a3a4a5a6a7',
        kind: 'CLIENT',
        startTimeUnixNano: '1774459800000000001',
        endTimeUnixNano: '1774459800000000002',
        attributes: { bytes: 'AAH+/w==', big: '9007199254740993', small: -7, map: { k: true } },
        resource: { attributes: { 'service.name': 'raw', 'project.id': harness.projectId } },
        scope: { name: 'raw-scope' },
      }),
    ]);
  });
});
