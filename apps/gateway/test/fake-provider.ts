/**
 * The fake upstream LLM provider of the gateway's end-to-end tests: a real HTTP server on
 * loopback speaking the OpenAI and Anthropic wire formats, recording every request it gets.
 * Tests replace `handler` to script errors, delays or streams.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fake received. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The body parsed as JSON, or null. */
  json: Record<string, unknown> | null;
}

/** Answers one request. */
export type FakeHandler = (
  request: ReceivedRequest,
  response: ServerResponse,
) => void | Promise<void>;

/** A running fake provider. */
export interface FakeProvider {
  /** `http://127.0.0.1:<port>` (base URL of both formats is this plus `/v1`). */
  origin: string;
  requests: ReceivedRequest[];
  handler: FakeHandler;
  /** Requests whose connection closed before the fake finished answering. */
  aborted: ReceivedRequest[];
  /** Connections open to the fake right now. */
  connections(): Promise<number>;
  /** How long the fake keeps an idle keep-alive connection open (Node's default: 5 s). */
  setKeepAliveTimeout(ms: number): void;
  close(): Promise<void>;
}

/** Writes a JSON answer. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** Starts an SSE answer. */
export function startSse(response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  response.flushHeaders();
}

/** Writes one SSE event (`data:` only when `event` is undefined). */
export function sseEvent(response: ServerResponse, data: unknown, event?: string): void {
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  response.write(`${event ? `event: ${event}\n` : ''}data: ${text}\n\n`);
}

/** Starts the fake with `handler` (replaceable later through `fake.handler`). */
export async function startFakeProvider(handler: FakeHandler): Promise<FakeProvider> {
  const fake: FakeProvider = {
    origin: '',
    requests: [],
    aborted: [],
    handler,
    connections: async () => 0,
    setKeepAliveTimeout: () => undefined,
    close: async () => undefined,
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let json: Record<string, unknown> | null = null;
      try {
        json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      } catch {
        json = null;
      }
      const received: ReceivedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body,
        json,
      };
      fake.requests.push(received);
      res.on('close', () => {
        if (!res.writableFinished) fake.aborted.push(received);
      });
      Promise.resolve(fake.handler(received, res)).catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: { message: String(error) } });
        else res.destroy();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.origin = `http://127.0.0.1:${port}`;
  fake.connections = () =>
    new Promise((resolve, reject) =>
      server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
    );
  fake.setKeepAliveTimeout = (ms) => {
    server.keepAliveTimeout = ms;
  };
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
