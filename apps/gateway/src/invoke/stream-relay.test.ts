import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { OpenAIChatStreamAccumulator } from '../formats/openai-chat-stream.ts';
import type { RelayOutcome } from './relay-core.ts';
import { relayStream } from './stream-relay.ts';

const chunk = (delta: object, extra: object = {}) =>
  `data: ${JSON.stringify({ id: 'c', model: 'gpt-4o', choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`;
const USAGE = `data: ${JSON.stringify({ id: 'c', choices: [], usage: { prompt_tokens: 3, completion_tokens: 2 } })}\n\n`;

function bytes(...parts: string[]): Readable {
  return Readable.from(parts.map((part) => Buffer.from(part)));
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

function relay(body: Readable, mode: 'bytes' | 'filter') {
  const outcomes: RelayOutcome[] = [];
  let aborted = false;
  const accumulator = new OpenAIChatStreamAccumulator();
  const stream = relayStream({
    body,
    accumulator,
    mode,
    errorEvent: (message) => `data: {"error":{"message":"${message}"}}\n\n`,
    abortUpstream: () => {
      aborted = true;
    },
    onEnd: (outcome) => outcomes.push(outcome),
  });
  return { stream, outcomes, accumulator, wasAborted: () => aborted };
}

describe('relayStream', () => {
  it('forwards bytes untouched and reads usage and content on the way', async () => {
    const text = `${chunk({ content: 'Hel' })}${chunk({ content: 'lo' })}${USAGE}data: [DONE]\n\n`;
    const { stream, outcomes, accumulator } = relay(
      bytes(text.slice(0, 17), text.slice(17)),
      'bytes',
    );
    expect(await readAll(stream)).toBe(text);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]?.kind).toBe('complete');
    expect(outcomes[0]?.firstContentNs).toBeDefined();
    expect(accumulator.result().usage).toMatchObject({ inputTokens: 3, outputTokens: 2 });
    expect(accumulator.result().output?.[0]?.parts).toEqual([{ type: 'text', content: 'Hello' }]);
  });

  it('drops only the usage-only chunk in filter mode', async () => {
    const text = `${chunk({ content: 'Hi' })}${USAGE}data: [DONE]\n\n`;
    const { stream, accumulator } = relay(bytes(text), 'filter');
    expect(await readAll(stream)).toBe(`${chunk({ content: 'Hi' })}data: [DONE]\n\n`);
    expect(accumulator.result().usage.outputTokens).toBe(2);
  });

  it('reports a stream that ends without its final event as cut and tells the client', async () => {
    const { stream, outcomes } = relay(bytes(chunk({ content: 'partial' })), 'bytes');
    const text = await readAll(stream);
    expect(text).toContain('partial');
    expect(text).toContain('"error"');
    expect(outcomes[0]?.kind).toBe('cut');
  });

  it('reports a broken upstream body as cut', async () => {
    const body = new PassThrough();
    const { stream, outcomes } = relay(body, 'bytes');
    body.write(chunk({ content: 'partial' }));
    setTimeout(() => body.destroy(new Error('socket hang up')), 10);
    expect(await readAll(stream)).toContain('upstream stream interrupted');
    expect(outcomes[0]).toMatchObject({ kind: 'cut' });
  });

  it('aborts the upstream when the client cancels', async () => {
    const body = new PassThrough();
    const { stream, outcomes, wasAborted } = relay(body, 'bytes');
    body.write(chunk({ content: 'one' }));
    const reader = stream.getReader();
    await reader.read();
    await reader.cancel();
    expect(wasAborted()).toBe(true);
    expect(body.destroyed).toBe(true);
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['client_abort']);
  });
});
