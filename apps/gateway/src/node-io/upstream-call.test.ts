import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamCall } from './upstream-call.ts';

let server: Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** A local upstream answering every request with `answer`. */
async function upstream(answer: (res: ServerResponse) => void): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => answer(res));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`;
}

const send = (url: string) =>
  new UpstreamCall(5_000, undefined).send(url, {
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });

describe('UpstreamCall', () => {
  it('reads a whole answer sent in several chunks', async () => {
    const url = await upstream((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"a":');
      setTimeout(() => res.end('1}'), 20);
    });
    const response = await send(url);
    expect(response.status).toBe(200);
    expect((await response.bytes()).toString('utf8')).toBe('{"a":1}');
    expect(response.received()).toBe(true);
  });

  it('decodes a gzip-compressed answer', async () => {
    const url = await upstream((res) => {
      res.writeHead(500, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync('{"error":{"message":"down"}}'));
    });
    const response = await send(url);
    expect(response.ok).toBe(false);
    expect(await response.text()).toBe('{"error":{"message":"down"}}');
  });

  it('streams an answer read as a stream, chunks collected before included', async () => {
    const url = await upstream((res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: 1\n\n');
      setTimeout(() => res.end('data: 2\n\n'), 20);
    });
    const response = await send(url);
    await new Promise((resolve) => setTimeout(resolve, 5));
    let text = '';
    for await (const chunk of response.body) text += String(chunk);
    expect(text).toBe('data: 1\n\ndata: 2\n\n');
  });

  it('rejects the read of an answer cut before its end', async () => {
    const url = await upstream((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"a":');
      setTimeout(() => res.destroy(), 20);
    });
    const response = await send(url);
    await expect(response.bytes()).rejects.toThrow();
  });
});
