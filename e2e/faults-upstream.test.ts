/**
 * Issue 16, faults: a hostile upstream provider behind the all-in-one, called through the real
 * OpenAI SDK. What apps/gateway/test already covers in process (a provider that never answers
 * → 504, an unreachable one → 502, a stream cut mid-way or ending without its final event, a
 * client that disconnects) is not repeated; this file adds a provider that resets the
 * connection, malformed SSE, a JSON body that never ends and a stream that never ends, each
 * answered cleanly and recorded on a span, and then checks from outside that the gateway
 * process holds no more sockets than before (`/proc/<pid>/fd`).
 */
import { readdirSync, readlinkSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openaiChatChunks, openaiChatCompletion } from './src/fake-openai.ts';
import { eventually, pause } from './src/fault-load.ts';
import { PROVIDER_KEY } from './src/gateway-client.ts';
import type { ProductProcess } from './src/product-process.ts';
import { type ReadSpan, waitForTrace } from './src/to11-api.ts';
import { freshDataDir, type RunningProduct, startAllInOne } from './src/topology.ts';

/** Short enough for a test; every fault below is bounded by it or by the client. */
const UPSTREAM_TIMEOUT_MS = 1_000;

/** What the provider does, chosen by the request's model. */
type Behaviour = 'ok' | 'reset' | 'malformed-sse' | 'endless-json' | 'endless-stream';

interface HostileProvider {
  baseUrl: string;
  /** Requests whose connection closed before the provider ended its answer. */
  abandoned: number;
  close(): Promise<void>;
  /** Closes every connection the gateway holds to the provider (its keep-alive pool). */
  dropConnections(): void;
}

async function startHostileProvider(): Promise<HostileProvider> {
  const state = { abandoned: 0 };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      const model = (JSON.parse(body) as { model?: string }).model ?? '';
      const behaviour = model.replace(/^gpt-4o-/, '') as Behaviour;
      res.on('close', () => {
        if (!res.writableEnded) state.abandoned++;
      });
      switch (behaviour) {
        case 'reset':
          req.socket.destroy();
          return;
        case 'malformed-sse':
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.write('data: {"id":"x","choices":[{"delta":{"content":"half"\n\n');
          res.write('event: ???\ndata: \u0000\u0001 not json at all\n\n');
          res.end('data: [DONE]\n\n');
          return;
        case 'endless-json':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"id":"chatcmpl-endless","choices":[');
          return;
        case 'endless-stream': {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          const [first] = openaiChatChunks(model, false);
          res.write(`data: ${JSON.stringify(first)}\n\n`);
          return;
        }
        default:
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(openaiChatCompletion(model)));
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    get abandoned() {
      return state.abandoned;
    },
    dropConnections: () => server.closeAllConnections(),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Open sockets of `pid` (TCP and Unix), read from `/proc/<pid>/fd`. */
function openSockets(pid: number): number {
  let sockets = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) sockets++;
    } catch {
      // closed while we looked
    }
  }
  return sockets;
}

/** The socket count once it has not changed for a second. */
async function settledSockets(pid: number): Promise<number> {
  let last = openSockets(pid);
  for (let i = 0; i < 20; i++) {
    await pause(1_000);
    const now = openSockets(pid);
    if (now === last) return now;
    last = now;
  }
  return last;
}

function traceIdOf(headers: Headers): string {
  return headers.get('traceparent')?.split('-')[1] ?? '';
}

describe('a hostile upstream provider (all-in-one)', () => {
  let provider: HostileProvider;
  let product: RunningProduct;
  let gateway: ProductProcess;
  let dataDir: string;
  let openai: OpenAI;
  let baseline: number;

  const call = (behaviour: Behaviour) =>
    openai.chat.completions
      .create({ model: `gpt-4o-${behaviour}`, messages: [{ role: 'user', content: 'x' }] })
      .withResponse();
  const callStream = (behaviour: Behaviour) =>
    openai.chat.completions
      .create({
        model: `gpt-4o-${behaviour}`,
        messages: [{ role: 'user', content: 'x' }],
        stream: true,
      })
      .withResponse();

  /** The failure of a call that must fail, with the trace id of its answer when there was one. */
  const failure = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => new Error('expected the call to fail'),
      (caught: unknown) => caught,
    );
    return error;
  };

  const genAiSpans = async (traceId: string, attempts: number): Promise<ReadSpan[]> => {
    const trace = await waitForTrace(product.httpUrl, product.apiKey, traceId, attempts + 1);
    return trace.spans.filter((span) => span.kind === 'CLIENT');
  };

  beforeAll(async () => {
    provider = await startHostileProvider();
    dataDir = freshDataDir();
    product = await startAllInOne({
      providerBaseUrl: provider.baseUrl,
      dataDir,
      env: { TO11_UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS) },
    });
    const [first] = product.processes;
    if (first === undefined) throw new Error('no process');
    gateway = first;
    openai = new OpenAI({
      baseURL: `${product.gatewayUrl}/v1`,
      apiKey: PROVIDER_KEY,
      maxRetries: 0,
      defaultHeaders: { 'x-to11-authorization': `Bearer ${product.apiKey}` },
    });
    await call('ok');
    provider.dropConnections();
    baseline = await settledSockets(gateway.pid);
  });

  afterAll(async () => {
    await product?.stop();
    await provider?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers a reset connection 502 upstream, recorded as an error span', async () => {
    const error = await failure(call('reset'));
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const apiError = error as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.status).toBe(502);
    expect(apiError.headers?.get('x-to11-error-code')).toBe('upstream');
    const traceId = apiError.headers?.get('traceparent')?.split('-')[1] ?? '';
    // A passthrough call (no route in to11.toml) is one attempt: routes retry.
    const spans = await genAiSpans(traceId, 1);
    expect(spans.map((span) => span.status.code)).toEqual(['ERROR']);
    expect(spans[0]?.attributes['error.type']).toBeDefined();
  });

  it('answers a JSON body that never ends 504 upstream within the timeout', async () => {
    const error = await failure(call('endless-json'));
    const apiError = error as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.status).toBe(504);
    expect(apiError.headers?.get('x-to11-error-code')).toBe('upstream');
    const traceId = apiError.headers?.get('traceparent')?.split('-')[1] ?? '';
    const spans = await genAiSpans(traceId, 1);
    expect(spans.map((span) => span.status.code)).toEqual(['ERROR']);
  });

  it('relays malformed SSE without failing the process and records the call', async () => {
    const { data: stream, response } = await callStream('malformed-sse');
    const error = await (async () => {
      for await (const _chunk of stream) {
        // drain
      }
    })().catch((caught: unknown) => caught);
    // The SDK's own parser meets the garbage: a clean error on the client, nothing more.
    expect(error).toBeInstanceOf(Error);
    const spans = await genAiSpans(traceIdOf(response.headers), 1);
    expect(spans).toHaveLength(1);
    expect((await call('ok')).response.status).toBe(200);
  });

  it('aborts a stream that never ends once the client gives up', async () => {
    const abandonedBefore = provider.abandoned;
    const { data: stream, response } = await callStream('endless-stream');
    let chunks = 0;
    // The first chunk arrives, then nothing: the client waits a while and gives up.
    const giveUp = setTimeout(() => stream.controller.abort(), 2_000);
    // The SDK ends the iteration quietly when its own controller aborts.
    await (async () => {
      for await (const _chunk of stream) chunks++;
    })().catch(() => {});
    clearTimeout(giveUp);
    expect(chunks).toBe(1);
    await eventually(
      async () => provider.abandoned > abandonedBefore,
      'the gateway closed the upstream request',
      10_000,
    );
    const [genAi] = await genAiSpans(traceIdOf(response.headers), 1);
    expect(genAi?.status.code).toBe('ERROR');
  });

  it('holds no more sockets than before the faults', async () => {
    provider.dropConnections();
    let now = 0;
    await eventually(
      async () => {
        now = openSockets(gateway.pid);
        return now <= baseline;
      },
      `the gateway's sockets back to ${baseline}`,
      20_000,
    );
    console.log(JSON.stringify({ socketsBaseline: baseline, socketsAfter: now }));
    expect(gateway.output()).not.toMatch(/TypeError|uncaught/i);
  });
});
