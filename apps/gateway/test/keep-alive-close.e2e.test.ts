/**
 * A call that reaches the gateway on a keep-alive connection just before the connection's idle
 * timer fires is answered, not reset (issue 16, the `ECONNRESET`s of `bench/overload.ts`).
 *
 * Node closes a connection whose timer fired with `socket.destroy()` from the timers phase of
 * the event loop, which libuv runs after the I/O callbacks of the same turn: a request that
 * arrived during that turn is still unread in the kernel, and closing a socket with unread data
 * sends the client a reset (`TcpExtTCPAbortOnClose`), not a FIN. The client wrote on a connection
 * that was open; under load a turn of the loop lasts tens of milliseconds.
 *
 * The test makes that turn deterministic: its own I/O callback (data on a second connection)
 * holds the event loop past the due time of the gateway's keep-alive timer and writes the next
 * request during it, so the request is in the gateway's receive buffer, unread, when the timer
 * fires at the end of that turn.
 */
import type { AddressInfo } from 'node:net';
import { connect, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, PROVIDER_KEY, startHarness } from './harness.ts';

const KEEP_ALIVE_MS = 50;

function request(apiKey: string): string {
  const body = JSON.stringify({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'hi' }],
  });
  return (
    'POST /v1/chat/completions HTTP/1.1\r\nhost: gateway\r\ncontent-type: application/json\r\n' +
    `authorization: Bearer ${PROVIDER_KEY}\r\nx-to11-authorization: Bearer ${apiKey}\r\n` +
    `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('a keep-alive connection reused as its idle timer fires', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('pglite', { TO11_HTTP_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_MS) });
  });
  afterAll(() => h?.close());

  it('answers the request that arrived before the timer fired', async () => {
    const client = connect(h.gateway.port, '127.0.0.1');
    const state = { received: '', error: null as string | null, closed: false };
    client.on('data', (chunk) => {
      state.received += chunk.toString('latin1');
    });
    client.on('error', (error: NodeJS.ErrnoException) => {
      state.error = error.code ?? error.message;
    });
    client.on('close', () => {
      state.closed = true;
    });
    const answers = () => state.received.match(/HTTP\/1\.1 \d{3}/g) ?? [];
    client.write(request(h.apiKey));
    await until(() => answers().length === 1, 'the first answer');
    // A free loop lets the gateway finish that answer and arm the connection's keep-alive
    // timer: the setting plus node's own 1 s margin, so it is due by `due` at the latest.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const due = Date.now() + KEEP_ALIVE_MS + 1_000;

    // An I/O callback of this process writes the next request and holds the loop past `due`.
    const trigger = createServer((socket) => socket.end('x'));
    await new Promise<void>((resolve) => trigger.listen(0, '127.0.0.1', resolve));
    const poke = connect((trigger.address() as AddressInfo).port, '127.0.0.1');
    await new Promise<void>((resolve) => {
      poke.once('data', () => {
        client.write(request(h.apiKey));
        while (Date.now() < due + 100);
        resolve();
      });
    });
    poke.destroy();
    trigger.close();

    await until(() => answers().length === 2 || state.closed, 'the second answer');
    expect(state.error).toBeNull();
    expect(answers()).toEqual(['HTTP/1.1 200', 'HTTP/1.1 200']);
    client.destroy();
  });
});
