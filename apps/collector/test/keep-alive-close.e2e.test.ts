/**
 * A request that reaches the collector's HTTP listener on a keep-alive connection just before
 * the connection's idle timer fires is answered, not reset (issue 16; the gateway's
 * `keep-alive-close.e2e.test.ts` explains the mechanism: node destroys the socket from the
 * timers phase, with the request still unread in the kernel, and the kernel sends a reset).
 *
 * An I/O callback of the test holds the event loop past the due time of the keep-alive timer and
 * writes the next request during it, so the request is unread when the timer fires.
 */
import type { AddressInfo } from 'node:net';
import { connect, createServer } from 'node:net';
import { DEFAULT_SERVER_SETTINGS } from '@to11/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.ts';

const KEEP_ALIVE_MS = 50;
const HEALTH = 'GET /health HTTP/1.1\r\nhost: collector\r\n\r\n';

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
    h = await startHarness('pglite', {
      server: { ...DEFAULT_SERVER_SETTINGS, keepAliveTimeoutMs: KEEP_ALIVE_MS },
    });
  });
  afterAll(() => h?.close());

  it('answers the request that arrived before the timer fired', async () => {
    const client = connect(Number(new URL(h.httpUrl).port), '127.0.0.1');
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
    client.write(HEALTH);
    await until(() => answers().length === 1, 'the first answer');
    // A free loop lets the collector finish that answer and arm the keep-alive timer (the
    // setting plus node's own 1 s margin), due by `due` at the latest.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const due = Date.now() + KEEP_ALIVE_MS + 1_000;

    const trigger = createServer((socket) => socket.end('x'));
    await new Promise<void>((resolve) => trigger.listen(0, '127.0.0.1', resolve));
    const poke = connect((trigger.address() as AddressInfo).port, '127.0.0.1');
    await new Promise<void>((resolve) => {
      poke.once('data', () => {
        client.write(HEALTH);
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
