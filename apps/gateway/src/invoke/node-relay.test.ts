import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIChatStreamAccumulator } from '../formats/openai-chat-stream.ts';
import { relayToNode } from './node-relay.ts';
import type { RelayOutcome } from './relay-core.ts';

const chunk = (content: string) =>
  `data: ${JSON.stringify({ id: 'c', model: 'gpt-4o', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;

let server: Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** Serves one relay of `body` per request; resolves with the URL and the relay's outcomes. */
async function relayServer(body: PassThrough, mode: 'bytes' | 'filter', binary = false) {
  const outcomes: RelayOutcome[] = [];
  let aborted = false;
  server = createServer((_request, outgoing) => {
    relayToNode(
      {
        body,
        accumulator: binary ? null : new OpenAIChatStreamAccumulator(),
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
  return { url, outcomes, wasAborted: () => aborted };
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
});
