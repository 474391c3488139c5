/**
 * Load generator of the collector benchmark, run as a child process (`fork`) so neither the
 * collector nor the benchmark's own process shares its event loop. Pre-encodes its requests, then sends them with
 * keep-alive, `concurrency` at a time, over OTLP/HTTP protobuf or gRPC (HTTP/2, raw framing).
 */
import http from 'node:http';
import http2 from 'node:http2';
import { makeRequests, SPANS_PER_REQUEST } from './collector-requests.ts';

/** What the parent asks for. */
export interface LoadJob {
  protocol: 'http' | 'grpc';
  url: string;
  token: string;
  requests: number;
  concurrency: number;
  seed: number;
  startNs: string;
  /**
   * Open loop (OTLP/HTTP only): `rate` requests/s on a 10 ms clock for `seconds`, whatever the
   * answers do, over at most `concurrency` connections; `requests` distinct bodies are cycled,
   * each send with fresh trace and span ids.
   */
  open?: { rate: number; seconds: number };
}

/** What the child answers. */
export interface LoadResult {
  okSpans: number;
  ok: number;
  unavailable: number;
  failed: number;
  seconds: number;
  bytesPerSpan: number;
  /** Open loop only: requests offered, answers by status (or error code). */
  offered?: number;
  statuses?: Record<string, number>;
  /** Open loop only: 503 / 429 answers without a `Retry-After` header. */
  withoutRetryAfter?: number;
  /** Open loop only: milliseconds of each acknowledged (200) export, sorted. */
  acceptedMs?: number[];
}

const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

type Send = (body: Uint8Array) => Promise<'ok' | 'unavailable' | 'failed'>;

/**
 * POSTs one OTLP/HTTP protobuf body; `done` gets the answer once it was read whole, or the
 * error code (`ECONNRESET`, …) when the request failed.
 */
function postTraces(
  target: URL,
  agent: http.Agent,
  token: string,
  body: Uint8Array,
  done: (answer: http.IncomingMessage | string) => void,
): void {
  const request = http.request(
    target,
    {
      method: 'POST',
      agent,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/x-protobuf',
        'content-length': body.length,
      },
    },
    (response) => {
      response.resume();
      response.on('end', () => done(response));
    },
  );
  request.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? 'error'));
  request.end(body);
}

function httpSender(url: string, token: string, concurrency: number): Send {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL('/v1/traces', url);
  return (body) =>
    new Promise((resolve) =>
      postTraces(target, agent, token, body, (answer) => {
        const status = typeof answer === 'string' ? 0 : (answer.statusCode ?? 0);
        resolve(status === 200 ? 'ok' : status === 503 ? 'unavailable' : 'failed');
      }),
    );
}

function grpcSender(url: string, token: string): Send {
  const session = http2.connect(url);
  session.on('error', () => {});
  return (framed) =>
    new Promise((resolve) => {
      const stream = session.request({
        ':method': 'POST',
        ':path': EXPORT_PATH,
        'content-type': 'application/grpc',
        te: 'trailers',
        authorization: `Bearer ${token}`,
      });
      let status = '';
      stream.on('response', (headers) => {
        status = String(headers['grpc-status'] ?? status);
      });
      stream.on('trailers', (trailers) => {
        status = String(trailers['grpc-status'] ?? status);
      });
      stream.on('data', () => {});
      stream.on('end', () =>
        resolve(status === '0' ? 'ok' : status === '14' ? 'unavailable' : 'failed'),
      );
      stream.on('error', () => resolve('failed'));
      stream.end(framed);
    });
}

/** gRPC length-prefixed message framing: flag byte 0, big-endian length, message. */
function frame(message: Uint8Array): Uint8Array {
  const framed = Buffer.alloc(5 + message.length);
  framed.writeUInt32BE(message.length, 1);
  framed.set(message, 5);
  return framed;
}

/**
 * Where the seed's four bytes (the start of every trace and span id, see collector-requests.ts)
 * sit in `body`: writing other bytes there gives the same request with fresh ids.
 */
function seedOffsets(body: Uint8Array, seed: number): number[] {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(seed);
  const offsets: number[] = [];
  const buffer = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  for (let at = buffer.indexOf(bytes); at !== -1; at = buffer.indexOf(bytes, at + 4)) {
    offsets.push(at);
  }
  return offsets;
}

async function openLoop(job: LoadJob, open: { rate: number; seconds: number }) {
  const bodies = makeRequests(job.requests, job.seed, BigInt(job.startNs));
  const offsets = bodies.map((body) => seedOffsets(body, job.seed));
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
  const target = new URL('/v1/traces', job.url);
  const statuses: Record<string, number> = {};
  const acceptedMs: number[] = [];
  let withoutRetryAfter = 0;
  let offered = 0;
  const count = (key: string) => {
    statuses[key] = (statuses[key] ?? 0) + 1;
  };
  const send = (index: number): Promise<void> =>
    new Promise((resolve) => {
      const template = bodies[index % bodies.length] as Uint8Array;
      const body = Buffer.from(template);
      for (const at of offsets[index % bodies.length] ?? []) body.writeUInt32BE(index + 1, at);
      const started = performance.now();
      postTraces(target, agent, job.token, body, (answer) => {
        if (typeof answer === 'string') {
          count(answer);
        } else {
          const status = answer.statusCode ?? 0;
          count(String(status));
          if (status === 200) acceptedMs.push(performance.now() - started);
          if ((status === 503 || status === 429) && !answer.headers['retry-after']) {
            withoutRetryAfter++;
          }
        }
        resolve();
      });
    });
  const pending = new Set<Promise<void>>();
  const started = performance.now();
  // Sends fall due by the clock, not by ticks: a late tick sends what is due since the last.
  for (let elapsed = 0; elapsed < open.seconds; elapsed = (performance.now() - started) / 1000) {
    for (const due = Math.floor(elapsed * open.rate); offered < due; ) {
      const promise = send(offered++);
      pending.add(promise);
      void promise.then(() => pending.delete(promise));
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await Promise.all(pending);
  agent.destroy();
  const ok = statuses['200'] ?? 0;
  return {
    ok,
    okSpans: ok * SPANS_PER_REQUEST,
    unavailable: statuses['503'] ?? 0,
    failed: offered - ok - (statuses['503'] ?? 0),
    seconds: (performance.now() - started) / 1000,
    bytesPerSpan: bodies.reduce((sum, body) => sum + body.length, 0) / (bodies.length * 512),
    offered,
    statuses,
    withoutRetryAfter,
    acceptedMs: acceptedMs.sort((a, b) => a - b),
  };
}

async function run(job: LoadJob): Promise<LoadResult> {
  if (job.open) return openLoop(job, job.open);
  const encoded = makeRequests(job.requests, job.seed, BigInt(job.startNs));
  const bodies = job.protocol === 'grpc' ? encoded.map(frame) : encoded;
  const bytes = encoded.reduce((sum, body) => sum + body.length, 0);
  const send =
    job.protocol === 'grpc'
      ? grpcSender(job.url, job.token)
      : httpSender(job.url, job.token, job.concurrency);
  const result = { ok: 0, unavailable: 0, failed: 0 };
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < bodies.length; i = next++) {
      const body = bodies[i];
      if (body !== undefined) result[await send(body)]++;
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return {
    ...result,
    okSpans: result.ok * SPANS_PER_REQUEST,
    seconds,
    bytesPerSpan: bytes / (encoded.length * SPANS_PER_REQUEST),
  };
}

process.on('message', (job: LoadJob) => {
  run(job).then(
    (result) => {
      process.send?.(result, () => process.exit(0));
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
