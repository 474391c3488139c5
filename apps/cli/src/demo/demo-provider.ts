/**
 * The built-in demo provider (`pnpm demo`): a real HTTP server on loopback, on a port the OS
 * picks, that answers the OpenAI and Anthropic calls the examples make with canned answers
 * (demo-answers.ts). The gateway's built-in providers point at it, so a newcomer sees traces
 * without a provider key. It ignores credentials and records nothing.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  anthropicEvents,
  anthropicMessage,
  chatCompletion,
  chatCompletionChunks,
  embeddings,
  estimateTokens,
} from './demo-answers.ts';

/** A running demo provider. */
export interface DemoProvider {
  /** `http://127.0.0.1:<port>/v1`, the shape of TO11_OPENAI_BASE_URL / TO11_ANTHROPIC_BASE_URL. */
  baseUrl: string;
  close(): Promise<void>;
}

/** Pause between two streamed events, so a stream is visibly a stream. */
const EVENT_GAP_MS = 10;

/** Starts the demo provider on 127.0.0.1, port 0. */
export async function startDemoProvider(): Promise<DemoProvider> {
  const server = createServer((req, res) => {
    answer(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { type: 'server_error', message: String(error) } }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const body = parseObject(text);
  const model = typeof body.model === 'string' ? body.model : 'demo-model';
  const stream = body.stream === true;
  if (req.method !== 'POST') return notFound(res, req.method ?? 'GET', path);

  if (path.endsWith('/chat/completions')) {
    const inputTokens = estimateTokens(body.messages);
    if (!stream) return json(res, chatCompletion(model, inputTokens));
    const options = body.stream_options;
    const includeUsage =
      typeof options === 'object' && options !== null && 'include_usage' in options
        ? options.include_usage === true
        : false;
    const payloads = chatCompletionChunks(model, inputTokens, includeUsage);
    return sse(
      res,
      payloads.map((data) => `data: ${data}\n\n`),
    );
  }
  if (path.endsWith('/embeddings'))
    return json(res, embeddings(model, body.input, body.encoding_format));
  if (path.endsWith('/messages')) {
    const inputTokens = estimateTokens([body.system, body.messages]);
    if (!stream) return json(res, anthropicMessage(model, inputTokens));
    return sse(
      res,
      anthropicEvents(model, inputTokens).map(
        ([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`,
      ),
    );
  }
  return notFound(res, req.method, path);
}

function json(res: ServerResponse, value: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

async function sse(res: ServerResponse, frames: string[]): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const frame of frames) {
    if (res.destroyed) return;
    res.write(frame);
    await new Promise((resolve) => setTimeout(resolve, EVENT_GAP_MS));
  }
  res.end();
}

function notFound(res: ServerResponse, method: string, path: string): void {
  res.writeHead(404, { 'content-type': 'application/json' });
  const message = `the to11 demo provider answers POST chat/completions, embeddings and messages, not ${method} ${path}`;
  res.end(JSON.stringify({ error: { type: 'not_found_error', message } }));
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
