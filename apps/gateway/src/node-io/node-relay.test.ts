import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIChatStreamAccumulator } from '../wire/openai/chat-stream.ts';
import { relayToNode } from './node-relay.ts';
import type { RelayOutcome } from './relay-core.ts';

const chunk = (content: string) =>
  `data: ${JSON.stringify({ id: 'c', model: 'gpt-4o', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;

const USAGE = `data: ${JSON.stringify({ id: 'c', choices: [], usage: { prompt_tokens: 3, completion_tokens: 2 } })}\n\n`;

let server: Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** Serves one relay of `body` per request; resolves with the URL and the relay's outcomes. */
async function relayServer(body: PassThrough, mode: 'bytes' | 'filter', binary = false) {
  const outcomes: RelayOutcome[] = [];
  let aborted = false;
  const accumulator = new OpenAIChatStreamAccumulator();
  server = createServer((_request, outgoing) => {
    relayToNode(
      {
        body,
        accumulator: binary ? null : accumulator,
        mode,
        errorEvent: (message) => `data: {"error":{"message":"${message}"}}\n\n`,
        abortUpstream: () => {
          aborted = true;
        },
        onEnd: (outcome) => outcomes.push(outcome),
      },
      {
        outgoing,
        status: 200,
        headers: { 'content-type': 'text/event-stream' },
        upstreamReceived: () => body.writableEnded,
      },
    );
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, outcomes, accumulator, wasAborted: () => aborted };
}

function open(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => get(url, resolve).on('error', reject));
}

async function readAll(response: IncomingMessage): Promise<string> {
  let text = '';
  for await (const part of response) text += String(part);
  return text;
}

describe('relayToNode', () => {
  it('sends each chunk as it arrives, before the upstream has finished', async () => {
    const body = new PassThrough();
    const { url, outcomes } = await relayServer(body, 'bytes');
    const response = await open(url);
    expect(response.headers['content-type']).toBe('text/event-stream');
    body.write(chunk('one'));
    const first = await new Promise<string>((resolve) =>
      response.once('data', (data) => resolve(String(data))),
    );
    expect(first).toContain('one');
    body.end(`${chunk('two')}data: [DONE]\n\n`);
    expect(await readAll(response)).toContain('[DONE]');
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['complete']);
  });

  it('keeps every byte through a slow client (backpressure)', async () => {
    const body = new PassThrough();
    const { url } = await relayServer(body, 'bytes', true);
    const block = 'x'.repeat(64 * 1024);
    const response = await open(url);
    for (let i = 0; i < 64; i++) body.write(block);
    body.end();
    response.pause();
    await new Promise((resolve) => setTimeout(resolve, 50));
    response.resume();
    expect((await readAll(response)).length).toBe(64 * block.length);
  });

  it('tells the client and reports a cut when the upstream breaks', async () => {
    const body = new PassThrough();
    const { url, outcomes } = await relayServer(body, 'filter');
    const response = await open(url);
    body.write(chunk('partial'));
    setTimeout(() => body.destroy(new Error('socket hang up')), 20);
    const text = await readAll(response);
    expect(text).toContain('partial');
    expect(text).toContain('upstream stream interrupted');
    expect(outcomes[0]).toMatchObject({ kind: 'cut' });
  });

  it('aborts the upstream when the client goes away', async () => {
    const body = new PassThrough();
    const { url, outcomes, wasAborted } = await relayServer(body, 'bytes');
    const response = await open(url);
    body.write(chunk('one'));
    await new Promise((resolve) => response.once('data', resolve));
    response.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(wasAborted()).toBe(true);
    expect(body.destroyed).toBe(true);
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['client_abort']);
  });

  it('forwards bytes untouched and reads usage and content on the way', async () => {
    const body = new PassThrough();
    const { url, outcomes, accumulator } = await relayServer(body, 'bytes');
    const response = await open(url);
    const text = `${chunk('Hel')}${chunk('lo')}${USAGE}data: [DONE]\n\n`;
    body.write(text.slice(0, 17));
    body.end(text.slice(17));
    expect(await readAll(response)).toBe(text);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]?.kind).toBe('complete');
    expect(outcomes[0]?.firstContentNs).toBeDefined();
    expect(accumulator.result().usage).toMatchObject({ inputTokens: 3, outputTokens: 2 });
    expect(accumulator.result().output?.[0]?.parts).toEqual([{ type: 'text', content: 'Hello' }]);
  });

  it('drops only the usage-only chunk in filter mode', async () => {
    const body = new PassThrough();
    const { url, accumulator } = await relayServer(body, 'filter');
    const response = await open(url);
    body.end(`${chunk('Hi')}${USAGE}data: [DONE]\n\n`);
    expect(await readAll(response)).toBe(`${chunk('Hi')}data: [DONE]\n\n`);
    expect(accumulator.result().usage.outputTokens).toBe(2);
  });

  it('reads a stream that starts with a byte order mark and splits characters across chunks', async () => {
    const body = new PassThrough();
    const { url, accumulator } = await relayServer(body, 'filter');
    const response = await open(url);
    const bytes = Buffer.from(`\ufeff${chunk('héllo €')}data: [DONE]\n\n`, 'utf8');
    const split = bytes.indexOf(0xe2) + 1;
    body.write(bytes.subarray(0, 2));
    body.write(bytes.subarray(2, split));
    body.end(bytes.subarray(split));
    expect(await readAll(response)).toBe(`${chunk('héllo €')}data: [DONE]\n\n`);
    expect(accumulator.result().output?.[0]?.parts).toEqual([{ type: 'text', content: 'héllo €' }]);
  });

  it('reports a stream that ends without its final event as cut and tells the client', async () => {
    const body = new PassThrough();
    const { url, outcomes } = await relayServer(body, 'bytes');
    const response = await open(url);
    body.end(chunk('partial'));
    const text = await readAll(response);
    expect(text).toContain('partial');
    expect(text).toContain('"error"');
    expect(outcomes[0]?.kind).toBe('cut');
  });
});
