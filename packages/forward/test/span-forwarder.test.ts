/**
 * The forwarder against a real OTLP/HTTP receiver (a Node HTTP server answering 200): spans are
 * dropped and counted while nothing listens, submitting never waits, and delivery resumes once
 * the receiver is up on the same address.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SpanRecord } from '@to11/trace-core';
import { afterEach, describe, expect, it } from 'vitest';
import { createSpanForwarder, type SpanForwarder } from '../src/index.ts';

function span(index: number): SpanRecord {
  return {
    projectId: 'prj_test',
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: (index + 1).toString(16).padStart(16, '0'),
    parentSpanId: null,
    name: `span ${index}`,
    kind: 'INTERNAL',
    startTimeUnixNano: 1_700_000_000_000_000_000n,
    endTimeUnixNano: 1_700_000_000_500_000_000n,
    status: { code: 'UNSET' },
    attributes: { 'app.index': index },
    resource: { attributes: { 'service.name': 'test' } },
    events: [],
    links: [],
    source: 'gateway',
  };
}

/** A receiver answering every export with 200; counts the requests. */
function receiver(port: number): Promise<{ server: Server; requests: () => number }> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests += 1;
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end();
    });
  });
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () => resolve({ server, requests: () => requests })),
  );
}

async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`never happened: ${what}`);
}

describe('span forwarder', () => {
  let forwarder: SpanForwarder | undefined;
  const servers: Server[] = [];
  afterEach(async () => {
    await forwarder?.close(1000);
    for (const server of servers.splice(0)) server.close();
  });

  it('counts drops while the receiver is down and resumes when it is back', async () => {
    const probe = await receiver(0);
    const { port } = probe.server.address() as AddressInfo;
    await new Promise((resolve) => probe.server.close(resolve));
    const warnings: Record<string, unknown>[] = [];
    forwarder = createSpanForwarder({
      targets: [
        { endpoint: `http://127.0.0.1:${port}/v1/traces`, protocol: 'http/protobuf', headers: {} },
      ],
      maxQueuedSpans: 4,
      maxBatchSpans: 2,
      timeoutMs: 500,
      flushIntervalMs: 20,
      logger: { warn: (fields) => warnings.push(fields) },
    });
    const stats = () => forwarder?.stats()[0];
    for (let i = 0; i < 10; i += 1) forwarder.submit([span(i)]);
    expect(stats()?.droppedSpans.queue_full).toBe(6);
    expect(stats()?.queuedSpans).toBe(4);
    await eventually(() => stats()?.queuedSpans === 0, 'the queued spans given up on');
    expect(stats()?.droppedSpans.export_failed).toBe(4);
    expect(warnings.length).toBeGreaterThan(0);

    const up = await receiver(port);
    servers.push(up.server);
    for (let i = 10; i < 14; i += 1) forwarder.submit([span(i)]);
    await eventually(() => stats()?.exportedSpans === 4, 'the spans after the restart delivered');
    expect(up.requests()).toBeGreaterThan(0);
    expect(stats()?.endpoint).toBe(`http://127.0.0.1:${port}/v1/traces`);
  });

  it('flushes what is queued at close', async () => {
    const up = await receiver(0);
    servers.push(up.server);
    const { port } = up.server.address() as AddressInfo;
    forwarder = createSpanForwarder({
      targets: [
        { endpoint: `http://127.0.0.1:${port}/v1/traces`, protocol: 'http/protobuf', headers: {} },
      ],
      maxQueuedSpans: 100,
      maxBatchSpans: 50,
      timeoutMs: 2000,
      flushIntervalMs: 60_000,
      logger: { warn: () => undefined },
    });
    forwarder.submit([span(1), span(2), span(3)]);
    await forwarder.close(5000);
    expect(forwarder.stats()[0]?.exportedSpans).toBe(3);
    forwarder = undefined;
  });
});
