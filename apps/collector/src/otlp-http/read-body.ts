import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Outcome of reading a request body under a size cap. */
export type BodyResult =
  | { status: 'ok'; bytes: Buffer }
  | { status: 'too_large' }
  | { status: 'bad_encoding'; message: string }
  | { status: 'aborted' };

/** How to read a body. */
export interface ReadBodyOptions {
  /** Gunzip while reading (`Content-Encoding: gzip`). */
  gzip: boolean;
  /** Most bytes kept after decompression; one more and reading stops with `too_large`. */
  maxBytes: number;
}

/**
 * Reads a request body as it streams in, gunzipping on the fly, and stops as soon as the
 * decompressed size passes `maxBytes` (a zip bomb costs at most `maxBytes` of memory).
 * On early stop the rest of the body is drained, not kept, so the connection stays usable and
 * the client gets the answer instead of a reset.
 */
export function readBody(source: Readable, options: ReadBodyOptions): Promise<BodyResult> {
  const { maxBytes } = options;
  // Compressed input is never larger than its output by more than gzip's framing.
  const maxRawBytes = options.gzip ? maxBytes + 64 * 1024 : maxBytes;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let rawSize = 0;
    let settled = false;
    const gunzip = options.gzip ? createGunzip() : null;

    const finish = (result: BodyResult): void => {
      if (settled) return;
      settled = true;
      source.off('data', onData);
      source.off('end', onEnd);
      source.off('error', onError);
      source.off('aborted', onAborted);
      gunzip?.destroy();
      if (!source.destroyed) source.resume();
      resolve(result);
    };
    const keep = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        finish({ status: 'too_large' });
        return;
      }
      chunks.push(chunk);
    };
    const onData = (chunk: Buffer): void => {
      rawSize += chunk.length;
      if (rawSize > maxRawBytes) {
        finish({ status: 'too_large' });
        return;
      }
      if (gunzip === null) {
        keep(chunk);
      } else if (!gunzip.write(chunk)) {
        source.pause();
        gunzip.once('drain', () => {
          if (!settled) source.resume();
        });
      }
    };
    const onEnd = (): void => {
      if (gunzip === null) finish({ status: 'ok', bytes: Buffer.concat(chunks, size) });
      else gunzip.end();
    };
    const onError = (): void => finish({ status: 'aborted' });
    const onAborted = (): void => finish({ status: 'aborted' });

    if (gunzip !== null) {
      gunzip.on('data', keep);
      gunzip.on('error', (error) => {
        finish({ status: 'bad_encoding', message: `invalid gzip body: ${error.message}` });
      });
      gunzip.on('end', () => finish({ status: 'ok', bytes: Buffer.concat(chunks, size) }));
    }
    source.on('data', onData);
    source.on('end', onEnd);
    source.on('error', onError);
    source.on('aborted', onAborted);
  });
}
