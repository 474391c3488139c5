/**
 * Hostile HTTP/2 clients against the collector's OTLP/gRPC listener of the all-in-one, with
 * `node:http2` and raw sockets: a connection that never sends the HTTP/2 preface, one that
 * sends it and its SETTINGS but never a request, a stream whose body dribbles or never comes,
 * and streams whose answers are never read (the client's flow-control window is 0). Each is
 * bounded by a `TO11_HTTP_*` timeout (README "Guarantees"), and while they are held open the
 * official OTLP/gRPC exporter is served.
 */
import http2 from 'node:http2';
import { connect } from 'node:net';
import { ExportResultCode } from '@opentelemetry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from './src/fake-provider.ts';
import { pause } from './src/fault-load.ts';
import { createIngestExporter } from './src/otel-app.ts';
import { makeBatch, protobufBody } from './src/otlp-batches.ts';
import { type StartedTopology, TOPOLOGIES } from './src/topologies.ts';
import type { RunningProduct } from './src/topology.ts';

const TIMEOUTS = {
  TO11_HTTP_HEADERS_TIMEOUT_MS: '1000',
  TO11_HTTP_REQUEST_TIMEOUT_MS: '3000',
  TO11_HTTP_IDLE_TIMEOUT_MS: '4000',
};
/** Longest a test waits for the server to act; far above every timeout above. */
const PATIENCE_MS = 30_000;
/** Another loopback address (all of 127/8 reaches the listener on 127.0.0.1). */
const ATTACKER = '127.0.0.2';
const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

/** Resolves with the milliseconds until `emitter` emits `event`; rejects after PATIENCE_MS. */
function timeUntil(emitter: NodeJS.EventEmitter, event: string, what: string): Promise<number> {
  const began = Date.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server kept ${what}`)), PATIENCE_MS);
    emitter.once(event, () => {
      clearTimeout(timer);
      resolve(Date.now() - began);
    });
  });
}

/** A gRPC length-prefixed message. */
function grpcFrame(message: Uint8Array): Buffer {
  const framed = Buffer.alloc(5 + message.length);
  framed.writeUInt32BE(message.length, 1);
  framed.set(message, 5);
  return framed;
}

const allInOne = TOPOLOGIES[0];

describe('hostile HTTP/2 clients against the collector gRPC listener', () => {
  let fake: FakeProvider;
  let started: StartedTopology;
  let product: RunningProduct;
  beforeAll(async () => {
    if (!allInOne) throw new Error('no all-in-one topology');
    fake = await startFakeProvider();
    started = await allInOne.start(fake.baseUrl, TIMEOUTS);
    product = started.product;
  });
  afterAll(async () => {
    await started?.dispose();
    await fake?.close();
  });

  const session = (settings: http2.Settings = {}, localAddress?: string) => {
    const client = http2.connect(product.grpcUrl, {
      settings,
      ...(localAddress ? { localAddress } : {}),
    });
    client.on('error', () => undefined);
    return client;
  };
  const exportHeaders = () => ({
    ':method': 'POST',
    ':path': EXPORT_PATH,
    'content-type': 'application/grpc',
    te: 'trailers',
    authorization: `Bearer ${product.apiKey}`,
  });
  /** The official exporter sends one batch; true when the collector acknowledged it. */
  const exporterServed = async () => {
    const exporter = createIngestExporter({
      grpcUrl: product.grpcUrl,
      ingestToken: product.apiKey,
      timeoutMillis: 5_000,
    });
    const batch = makeBatch(3);
    const code = await new Promise<ExportResultCode>((resolve) =>
      exporter.export(batch.spans, (result) => resolve(result.code)),
    );
    await exporter.shutdown();
    return code === ExportResultCode.SUCCESS;
  };

  it('closes a connection that never sends the HTTP/2 preface after the headers timeout', async () => {
    const { hostname, port } = new URL(product.grpcUrl);
    const sockets = Array.from({ length: 20 }, () => connect(Number(port), hostname));
    for (const socket of sockets) {
      socket.on('error', () => undefined);
      // Reads what the server sends (its SETTINGS, then GOAWAY), so that its close is seen.
      socket.resume();
    }
    const held = sockets.map((socket) => timeUntil(socket, 'close', 'a silent connection'));
    expect(await exporterServed()).toBe(true);
    const times = await Promise.all(held);
    console.log(`no preface: 20 connections closed after ${Math.max(...times)} ms at most`);
  });

  it('closes a session that sends SETTINGS but never a request after the headers timeout', async () => {
    const clients = Array.from({ length: 20 }, () => session());
    const held = clients.map((client) => timeUntil(client, 'close', 'a session without streams'));
    expect(await exporterServed()).toBe(true);
    const times = await Promise.all(held);
    console.log(`no request: 20 sessions closed after ${Math.max(...times)} ms at most`);
  });

  it('resets streams whose body dribbles or never comes after the request timeout', async () => {
    // From an address of its own: past 30 failed authentications the collector refuses the
    // address (TO11_AUTH_FAILURE_LIMIT), which must not be the exporter's.
    const client = session({}, ATTACKER);
    const body = grpcFrame(protobufBody(makeBatch(2)));
    // More streams than the collector admits exports at once (32), without a credential: they
    // must hold no slot (the credential is checked before one is taken), so an exporter is
    // served while they dribble.
    const { authorization: _, ...anonymous } = exportHeaders();
    const streams = Array.from({ length: 40 }, (_, i) => {
      const stream = client.request(anonymous);
      stream.on('error', () => undefined);
      stream.resume();
      if (i % 2 === 0) {
        // Dribbles its body one byte every 100 ms, never ending it.
        let at = 0;
        const timer = setInterval(() => {
          if (stream.destroyed || at >= body.length - 1) clearInterval(timer);
          else stream.write(body.subarray(at, ++at));
        }, 100);
        stream.once('close', () => clearInterval(timer));
      }
      return stream;
    });
    const held = streams.map((stream) => timeUntil(stream, 'close', 'a slow stream'));
    await pause(500);
    expect(await exporterServed()).toBe(true);
    const times = await Promise.all(held);
    console.log(`slow bodies: 40 streams closed after ${Math.max(...times)} ms at most`);
    client.destroy();
  });

  it('resets authenticated slow streams after the request timeout, and serves again', async () => {
    const client = session();
    // An authenticated client may hold export slots, but only until the request timeout.
    const streams = Array.from({ length: 40 }, () => {
      const stream = client.request(exportHeaders());
      stream.on('error', () => undefined);
      stream.resume();
      return stream;
    });
    const times = await Promise.all(
      streams.map((stream) => timeUntil(stream, 'close', 'a slow stream')),
    );
    console.log(`authenticated, no body: 40 streams closed after ${Math.max(...times)} ms at most`);
    expect(await exporterServed()).toBe(true);
    client.destroy();
  });

  it('closes streams whose answers are never read after the idle timeout', async () => {
    // A window of 0: the collector can send headers but no DATA frame, so answers stay unread.
    const client = session({ initialWindowSize: 0 });
    const body = grpcFrame(protobufBody(makeBatch(2)));
    const streams = Array.from({ length: 40 }, () => {
      const stream = client.request(exportHeaders());
      stream.on('error', () => undefined);
      stream.end(body);
      return stream;
    });
    // Pings keep the connection itself busy: only a bound per stream lets these go.
    const pinger = setInterval(() => {
      if (!client.destroyed) client.ping(() => undefined);
    }, 500);
    const held = streams.map((stream) => timeUntil(stream, 'close', 'an unread stream'));
    await pause(500);
    expect(await exporterServed()).toBe(true);
    const times = await Promise.all(held);
    clearInterval(pinger);
    console.log(`unread answers: 40 streams closed after ${Math.max(...times)} ms at most`);
    client.destroy();
  });
});
