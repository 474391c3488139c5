/**
 * An export answered before its body was read (a bad credential: 401; the same path serves
 * 503 `overloaded` and 415) keeps its keep-alive connection even when the rest of the body comes
 * late: the collector discards it and answers the next request on the same connection. Before,
 * `@hono/node-server` closed such a connection 500 ms after the answer, and the client met a
 * reset (one way to the connection resets of `bench/collector-overload.ts`, where a busy event loop made
 * the 500 ms). A body past the largest accepted one is cut with the connection.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.ts';

const MAX_BODY_BYTES = 1_000_000;

/** A raw HTTP/1.1 connection: what arrived so far, and whether it ended or was reset. */
function rawConnection(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  const state = { received: '', error: null as string | null, closed: false };
  socket.on('data', (chunk) => {
    state.received += chunk.toString('latin1');
  });
  socket.on('error', (error: NodeJS.ErrnoException) => {
    state.error = error.code ?? error.message;
  });
  socket.on('close', () => {
    state.closed = true;
  });
  const answers = () => state.received.match(/HTTP\/1\.1 \d{3}/g) ?? [];
  const until = async (condition: () => boolean, what: string) => {
    const deadline = Date.now() + 10_000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const write = (data: string | Buffer) =>
    new Promise<void>((resolve) => socket.write(data, () => resolve()));
  return { socket, state, answers, until, write };
}

const exportHead = (length: number) =>
  'POST /v1/traces HTTP/1.1\r\nhost: collector\r\nauthorization: Bearer not-a-token\r\n' +
  `content-type: application/x-protobuf\r\ncontent-length: ${length}\r\n\r\n`;

describe('a body the collector did not read', () => {
  let h: Harness;
  let port: number;
  beforeAll(async () => {
    h = await startHarness('pglite', { maxBodyBytes: MAX_BODY_BYTES });
    port = Number(new URL(h.httpUrl).port);
  });
  afterAll(() => h?.close());

  it('is discarded when it comes late, and the connection answers its next request', async () => {
    const body = Buffer.alloc(300_000, 7);
    const c = rawConnection(port);
    await c.write(exportHead(body.length));
    await c.write(body.subarray(0, 1_000));
    await c.until(() => c.answers().length === 1, 'the 401');
    expect(c.answers()[0]).toBe('HTTP/1.1 401');
    // Longer than the 500 ms after which the connection used to be closed.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(c.state.closed).toBe(false);
    await c.write(body.subarray(1_000));
    await c.write('GET /health HTTP/1.1\r\nhost: collector\r\n\r\n');
    await c.until(() => c.answers().length === 2 || c.state.closed, 'the second answer');
    expect(c.state.error).toBeNull();
    expect(c.answers()).toEqual(['HTTP/1.1 401', 'HTTP/1.1 200']);
    c.socket.destroy();
  });

  it('past the largest accepted body, is cut with its connection', async () => {
    const c = rawConnection(port);
    // Chunked: no content-length to refuse it by; the 401 comes from the headers.
    await c.write(exportHead(0).replace('content-length: 0', 'transfer-encoding: chunked'));
    await c.until(() => c.answers().length === 1, 'the 401');
    const chunk = Buffer.alloc(64 * 1024, 7);
    const framed = Buffer.concat([
      Buffer.from(`${chunk.length.toString(16)}\r\n`),
      chunk,
      Buffer.from('\r\n'),
    ]);
    for (let sent = 0; sent <= 2 * MAX_BODY_BYTES && !c.state.closed; sent += chunk.length) {
      await c.write(framed);
    }
    await c.until(() => c.state.closed, 'the connection to close');
    expect(c.answers()).toEqual(['HTTP/1.1 401']);
  });
});
