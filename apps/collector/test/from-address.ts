/**
 * HTTP and gRPC calls from a chosen loopback source address (127.0.0.2, 127.0.0.3, …), so a
 * test can play several clients that a server tells apart by address.
 */
import { request } from 'node:http';
import http2 from 'node:http2';

/** What {@link httpFrom} answers. */
export interface AddressedAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One HTTP/1.1 request to `url` from `localAddress`. */
export function httpFrom(
  localAddress: string,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Uint8Array } = {},
): Promise<AddressedAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: init.method ?? 'GET', headers: init.headers ?? {}, localAddress, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/** One gRPC TraceService/Export of `message` from `localAddress`: its status and retry-after. */
export function grpcExportFrom(
  localAddress: string,
  grpcUrl: string,
  path: string,
  authorization: string,
  message: Uint8Array = new Uint8Array(),
  metadata: Record<string, string> = {},
): Promise<{ grpcStatus: string; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(grpcUrl, { localAddress } as http2.ClientSessionOptions);
    session.on('error', reject);
    const stream = session.request({
      ':method': 'POST',
      ':path': path,
      'content-type': 'application/grpc',
      te: 'trailers',
      authorization,
      ...metadata,
    });
    let grpcStatus = '';
    let retryAfter: string | undefined;
    const read = (headers: http2.IncomingHttpHeaders) => {
      grpcStatus = String(headers['grpc-status'] ?? grpcStatus);
      retryAfter = (headers['retry-after'] as string | undefined) ?? retryAfter;
    };
    stream.on('response', read);
    stream.on('trailers', read);
    stream.on('data', () => undefined);
    stream.on('end', () => {
      session.close();
      resolve({ grpcStatus, retryAfter });
    });
    stream.on('error', reject);
    const frame = Buffer.alloc(5 + message.length);
    frame.writeUInt32BE(message.length, 1);
    frame.set(message, 5);
    stream.end(frame);
  });
}
