/**
 * The one fake allowed in these tests: the upstream LLM provider, a real `node:http` server on
 * loopback that speaks the OpenAI and Anthropic wire formats (JSON and SSE streaming) and
 * records every request it receives, headers included, so tests can check the `traceparent`
 * the gateway propagated.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicMessage, anthropicStreamEvents } from './fake-anthropic.ts';
import { ANSWER_WORDS, openaiChatChunks, openaiChatCompletion } from './fake-openai.ts';

/** One request as the provider saw it. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  /** Lower-cased header names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** The parsed JSON body, or null when there was none or it was not JSON. */
  body: Record<string, unknown> | null;
}

/** Knobs a test may turn while the provider runs. */
export interface FakeProviderOptions {
  /** Pause between two SSE events, in milliseconds (default 5). */
  chunkDelayMs: number;
}

/** A running fake provider. */
export interface FakeProvider {
  /** Base URL in the shape of the real providers' defaults: `http://127.0.0.1:<port>/v1`. */
  baseUrl: string;
  /** Every request received, oldest first. */
  requests: RecordedRequest[];
  options: FakeProviderOptions;
  close(): Promise<void>;
}

/** The assistant's answer in every response, streamed word by word. */
export const FAKE_ANSWER = ANSWER_WORDS.join('');

/** Starts the fake provider on 127.0.0.1 and a free port. */
export async function startFakeProvider(
  options: Partial<FakeProviderOptions> = {},
): Promise<FakeProvider> {
  const requests: RecordedRequest[] = [];
  const current: FakeProviderOptions = { chunkDelayMs: options.chunkDelayMs ?? 5 };
  const server = createServer((req, res) => {
    handle(req, res, requests, current).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: String(error), type: 'server_error' } }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    options: current,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  requests: RecordedRequest[],
  options: FakeProviderOptions,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const body = parseJson(text);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  requests.push({ method: req.method ?? 'GET', path, headers, body });

  const model = typeof body?.model === 'string' ? body.model : 'unknown-model';
  const stream = body?.stream === true;
  if (req.method === 'POST' && path.endsWith('/chat/completions')) {
    if (!stream) return sendJson(res, openaiChatCompletion(model));
    const includeUsage =
      isRecord(body?.stream_options) && body.stream_options.include_usage === true;
    const events = openaiChatChunks(model, includeUsage).map((data) => ({ data }));
    return sendSse(res, [...events, { data: '[DONE]' }], options.chunkDelayMs);
  }
  if (req.method === 'POST' && path.endsWith('/messages')) {
    if (!stream) return sendJson(res, anthropicMessage(model));
    return sendSse(res, anthropicStreamEvents(model), options.chunkDelayMs);
  }
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({ error: { message: `fake provider: no route ${path}`, type: 'not_found' } }),
  );
}

interface SseEvent {
  event?: string;
  data: unknown;
}

function sendJson(res: ServerResponse, value: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

async function sendSse(res: ServerResponse, events: SseEvent[], delayMs: number): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const { event, data } of events) {
    if (res.destroyed) return;
    const payload = typeof data === 'string' ? data : JSON.stringify(data);
    res.write(`${event === undefined ? '' : `event: ${event}\n`}data: ${payload}\n\n`);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
  res.end();
}

function parseJson(text: string): Record<string, unknown> | null {
  if (text === '') return null;
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : null;
  } catch {
    return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
