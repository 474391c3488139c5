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
}

/** What the child answers. */
export interface LoadResult {
  okSpans: number;
  ok: number;
  unavailable: number;
  failed: number;
  seconds: number;
  bytesPerSpan: number;
}

const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

type Send = (body: Uint8Array) => Promise<'ok' | 'unavailable' | 'failed'>;

function httpSender(url: string, token: string, concurrency: number): Send {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL('/v1/traces', url);
  return (body) =>
    new Promise((resolve) => {
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
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            resolve(status === 200 ? 'ok' : status === 503 ? 'unavailable' : 'failed');
          });
        },
      );
      request.on('error', () => resolve('failed'));
      request.end(body);
    });
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

async function run(job: LoadJob): Promise<LoadResult> {
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
