import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readBody } from './read-body.ts';

function chunked(bytes: Buffer, size = 1000): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return Readable.from(chunks);
}

describe('readBody', () => {
  it('returns a plain body whole', async () => {
    const body = Buffer.from('x'.repeat(5000));
    const result = await readBody(chunked(body), { gzip: false, maxBytes: 5000 });
    expect(result).toEqual({ status: 'ok', bytes: body });
  });

  it('gunzips a gzip body as it streams', async () => {
    const body = Buffer.from('hello '.repeat(10_000));
    const result = await readBody(chunked(gzipSync(body)), { gzip: true, maxBytes: 60_000 });
    expect(result).toEqual({ status: 'ok', bytes: body });
  });

  it('stops a plain body one byte over the limit', async () => {
    const result = await readBody(chunked(Buffer.alloc(5001)), { gzip: false, maxBytes: 5000 });
    expect(result).toEqual({ status: 'too_large' });
  });

  it('stops a zip bomb at the decompressed limit', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100 * 1024);
    const result = await readBody(chunked(bomb), { gzip: true, maxBytes: 1024 * 1024 });
    expect(result).toEqual({ status: 'too_large' });
  });

  it('reports a truncated gzip body as a bad encoding', async () => {
    const gzip = gzipSync(Buffer.from('some spans '.repeat(1000)));
    const result = await readBody(chunked(gzip.subarray(0, gzip.length - 20)), {
      gzip: true,
      maxBytes: 1_000_000,
    });
    expect(result).toMatchObject({ status: 'bad_encoding' });
  });

  it('reports a body that is not gzip at all as a bad encoding', async () => {
    const result = await readBody(chunked(Buffer.from('plain text')), {
      gzip: true,
      maxBytes: 1000,
    });
    expect(result).toMatchObject({ status: 'bad_encoding' });
  });
});
