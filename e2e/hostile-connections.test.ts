/**
 * Hostile clients against the all-in-one (`pnpm start`), on both HTTP listeners (gateway and
 * collector): a slowloris client dribbling its headers is cut by `TO11_HTTP_HEADERS_TIMEOUT_MS`
 * (408), one dribbling its body by `TO11_HTTP_REQUEST_TIMEOUT_MS`, a client that never reads
 * its answer is let go by `TO11_HTTP_KEEP_ALIVE_TIMEOUT_MS` (small answer, already in the
 * kernel's buffers) or cut by `TO11_HTTP_IDLE_TIMEOUT_MS` (an answer larger than those buffers);
 * a gzip bomb at the collector gets 413. After each, the process still answers.
 */
import { connect, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from './src/fake-provider.ts';
import { type StartedTopology, TOPOLOGIES } from './src/topologies.ts';
import type { RunningProduct } from './src/topology.ts';

const TIMEOUTS = {
  TO11_HTTP_HEADERS_TIMEOUT_MS: '1000',
  TO11_HTTP_REQUEST_TIMEOUT_MS: '3000',
  TO11_HTTP_KEEP_ALIVE_TIMEOUT_MS: '1000',
  TO11_HTTP_IDLE_TIMEOUT_MS: '3000',
};
/** Longest a test waits for the server to act; far above every timeout above. */
const PATIENCE_MS = 30_000;

/** A raw TCP connection to `origin` that keeps what the server sends and when it closed. */
async function rawConnection(origin: string) {
  const { hostname, port } = new URL(origin);
  const socket: Socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const received: Buffer[] = [];
  let closed = false;
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  socket.on('error', () => undefined);
  const closing = new Promise<void>((resolve) => {
    socket.once('close', () => {
      closed = true;
      resolve();
    });
  });
  return {
    socket,
    text: () => Buffer.concat(received).toString('latin1'),
    bytes: () => received.reduce((sum, chunk) => sum + chunk.length, 0),
    isClosed: () => closed,
    /** Resolves once the server has closed the connection (or rejects after PATIENCE_MS). */
    closed: () =>
      Promise.race([
        closing,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('server kept the connection')), PATIENCE_MS).unref(),
        ),
      ]),
  };
}

/** Writes `text` one byte every `everyMs` until the connection closes or the text is out. */
async function dribble(connection: Awaited<ReturnType<typeof rawConnection>>, text: string) {
  for (const char of text) {
    if (connection.isClosed()) return;
    connection.socket.write(char);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function healthy(origin: string): Promise<number> {
  return (await fetch(`${origin}/health`)).status;
}

const allInOne = TOPOLOGIES[0];

describe('hostile connections against the all-in-one', () => {
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

  const listeners = () => [
    ['gateway', product.gatewayUrl],
    ['collector', product.httpUrl],
  ];

  it('cuts a slowloris client that dribbles its headers with 408, and keeps serving', async () => {
    for (const [name, origin] of listeners()) {
      const connection = await rawConnection(origin as string);
      const began = Date.now();
      // 60 s of header bytes at this pace: far more than the headers timeout allows.
      void dribble(connection, `GET /health HTTP/1.1\r\nHost: x\r\nx-slow: ${'a'.repeat(600)}`);
      await connection.closed();
      const heldMs = Date.now() - began;
      expect({ name, answer: connection.text().split('\r\n')[0] }).toEqual({
        name,
        answer: 'HTTP/1.1 408 Request Timeout',
      });
      console.log(`${name}: slowloris connection cut after ${heldMs} ms`);
      expect(await healthy(origin as string)).toBe(200);
    }
  });

  it('cuts a client that dribbles its body after the request timeout', async () => {
    for (const [name, origin] of listeners()) {
      const connection = await rawConnection(origin as string);
      // Authenticated, so the server waits for the body instead of refusing at once.
      const [path, auth] =
        name === 'gateway'
          ? ['/v1/chat/completions', `x-to11-authorization: Bearer ${product.apiKey}`]
          : ['/v1/traces', `authorization: Bearer ${product.apiKey}`];
      connection.socket.write(
        `POST ${path} HTTP/1.1\r\nHost: x\r\n${auth}\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n`,
      );
      const began = Date.now();
      void dribble(connection, '{'.repeat(600));
      await connection.closed();
      console.log(`${name}: slow-body connection cut after ${Date.now() - began} ms`);
      expect(connection.text()).not.toMatch(/^HTTP\/1\.1 [24]0[01]/);
      expect(await healthy(origin as string)).toBe(200);
    }
  });

  it('closes the connection of a client that never reads a small answer', async () => {
    for (const [, origin] of listeners()) {
      const connection = await rawConnection(origin as string);
      // The answer fits the kernel's buffers; the idle keep-alive connection is then closed.
      connection.socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
      await connection.closed();
      expect(connection.text()).toMatch(/^HTTP\/1\.1 200/);
    }
  });

  it('cuts a client that stops reading an answer larger than the socket buffers', async () => {
    // 20,000 pipelined requests whose answers (about 20 MB) no socket buffer holds: the server
    // stops reading requests while answers wait, so nothing moves until the idle timeout.
    const connection = await rawConnection(product.httpUrl);
    connection.socket.pause();
    const requests = 'GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(20_000);
    connection.socket.write(requests);
    await new Promise((resolve) =>
      setTimeout(resolve, Number(TIMEOUTS.TO11_HTTP_IDLE_TIMEOUT_MS) * 2),
    );
    connection.socket.resume();
    await connection.closed();
    const answers = connection.text().split('HTTP/1.1 200').length - 1;
    console.log(`collector: non-reading client cut after ${answers} of 20000 pipelined answers`);
    expect(answers).toBeLessThan(20_000);
    expect(await healthy(product.httpUrl)).toBe(200);
  });

  it('answers a gzip bomb at the collector with 413 and stays healthy', async () => {
    // 128 MiB of zeros is about 128 KiB gzipped: the body cap (8 MiB after decompression)
    // stops it after reading a fraction.
    const bomb = gzipSync(Buffer.alloc(128 * 1024 * 1024), { level: 9 });
    for (let round = 0; round < 4; round++) {
      const response = await fetch(`${product.httpUrl}/v1/traces`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${product.apiKey}`,
          'content-type': 'application/x-protobuf',
          'content-encoding': 'gzip',
        },
        body: bomb,
      });
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    }
    expect(await healthy(product.httpUrl)).toBe(200);
    expect(await healthy(product.gatewayUrl)).toBe(200);
  });
});
