import { gzipSync } from 'node:zlib';
import { fromBinary } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { testEngines } from '@to11/store/testing';
import { ExportTraceServiceResponseSchema } from '@to11/trace-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.ts';
import { encode, grpcClient, grpcRawExport, ids, request, span, str } from './otlp-requests.ts';
import { readTrace } from './read-api-client.ts';

describe.each(testEngines())('OTLP ingest edge cases on the %s store', (engine) => {
  let harness: Harness;
  let token: string;
  beforeAll(async () => {
    harness = await startHarness(engine);
    token = await harness.ingestToken();
  });
  afterAll(() => harness?.close());

  function post(body: Uint8Array | string, headers: Record<string, string>) {
    return harness.http('/v1/traces', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, ...headers },
      body,
    });
  }
  const protobuf = { 'content-type': 'application/x-protobuf' };

  it('rejects invalid spans one by one in partial_success and stores the rest (protobuf)', async () => {
    const { traceId, traceHex } = ids();
    const message = request([
      span(traceId, { name: 'good' }),
      span(traceId, { spanId: new Uint8Array(8) }),
      span(traceId, { startTimeUnixNano: 20n, endTimeUnixNano: 10n }),
    ]);
    const response = await post(encode(message), protobuf);
    expect(response.status).toBe(200);
    const answer = fromBinary(
      ExportTraceServiceResponseSchema,
      new Uint8Array(await response.arrayBuffer()),
    );
    expect(answer.partialSuccess?.rejectedSpans).toBe(2n);
    expect(answer.partialSuccess?.errorMessage).toMatch(/span #1: invalid span_id/);
    expect(answer.partialSuccess?.errorMessage).toMatch(/span #2: end_time_unix_nano is before/);
    const reply = await readTrace(harness, traceHex);
    expect(reply.body.spans?.map((s) => s.name)).toEqual(['good']);
  });

  it('reads OTLP/JSON with hex ids, enum ints and int64 strings and answers in JSON', async () => {
    const { traceHex, spanHex } = ids();
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'json-svc' } }] },
          scopeSpans: [
            {
              scope: { name: 'json-scope' },
              spans: [
                {
                  traceId: traceHex,
                  spanId: spanHex,
                  name: 'json span',
                  kind: 2,
                  startTimeUnixNano: '1774459800000000123',
                  endTimeUnixNano: 1774459800000001000,
                  attributes: [{ key: 'n', value: { intValue: '12' } }],
                  status: { code: 2, message: 'boom' },
                },
                { traceId: traceHex, spanId: 'not-hex', name: 'bad' },
              ],
            },
          ],
        },
      ],
    };
    const response = await post(JSON.stringify(body), { 'content-type': 'application/json' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const answer = (await response.json()) as {
      partialSuccess: { rejectedSpans: string; errorMessage: string };
    };
    expect(answer.partialSuccess.rejectedSpans).toBe('1');
    expect(answer.partialSuccess.errorMessage).toMatch(/span #1/);
    const reply = await readTrace(harness, traceHex);
    expect(reply.body.spans).toEqual([
      expect.objectContaining({
        spanId: spanHex,
        kind: 'SERVER',
        startTimeUnixNano: '1774459800000000123',
        status: { code: 'ERROR', message: 'boom' },
        attributes: { n: 12 },
      }),
    ]);
  });

  it('reports partial success over gRPC too', async () => {
    const { traceId } = ids();
    const message = request([span(traceId), span(traceId, { traceId: new Uint8Array(16) })]);
    const answer = await grpcClient(harness.grpcUrl).export(message, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(answer.partialSuccess?.rejectedSpans).toBe(1n);
    expect(answer.partialSuccess?.errorMessage).toMatch(/invalid trace_id/);
  });

  it('binds spans to the token project whatever project.id the client sends, wherever', async () => {
    const { traceId, traceHex } = ids();
    const spoof = str('project.id', 'proj_someoneelse');
    const message = request(
      [
        span(traceId, {
          attributes: [spoof, str('keep', 'me')],
          events: [{ name: 'e', timeUnixNano: 1_774_459_800_000_000_500n, attributes: [spoof] }],
        }),
      ],
      [spoof, str('service.name', 'spoofer')],
      [spoof],
    );
    expect((await post(encode(message), protobuf)).status).toBe(200);
    const reply = await readTrace(harness, traceHex);
    expect(reply.body.spans?.[0]).toMatchObject({
      attributes: { keep: 'me' },
      resource: { attributes: { 'service.name': 'spoofer', 'project.id': harness.projectId } },
      scope: { name: 'hand' },
      events: [{ name: 'e', attributes: {} }],
    });
    expect(reply.body.spans?.[0]?.attributes).not.toHaveProperty('project.id');
    expect(reply.body.spans?.[0]?.scope).not.toHaveProperty('attributes');
  });

  it('keeps at most 128 attributes per span and truncates values, recording the drops', async () => {
    const { traceId, traceHex } = ids();
    const attributes = Array.from({ length: 130 }, (_, i) =>
      str(`a${String(i).padStart(3, '0')}`, 'v'),
    );
    attributes[0] = str('a000', 'x'.repeat(70_000));
    expect((await post(encode(request([span(traceId, { attributes })])), protobuf)).status).toBe(
      200,
    );
    const stored = (await readTrace(harness, traceHex)).body.spans?.[0] ?? {};
    expect(Object.keys(stored.attributes as object)).toHaveLength(128);
    expect(stored.droppedAttributesCount).toBe(2);
    expect(String((stored.attributes as Record<string, string>).a000).length).toBeLessThanOrEqual(
      64 * 1024,
    );
  });

  it('answers 400 to bodies that are not OTLP, and stays healthy', async () => {
    const garbage = await post(Uint8Array.of(0xff, 0xff, 0xff, 0x0f, 0x08), protobuf);
    expect(garbage.status).toBe(400);
    expect(await garbage.json()).toMatchObject({ error: { code: 'bad_request' } });
    const badJson = await post('{"resourceSpans": [', { 'content-type': 'application/json' });
    expect(badJson.status).toBe(400);
    const notObject = await post('[1,2]', { 'content-type': 'application/json' });
    expect(notObject.status).toBe(400);
    const { traceId } = ids();
    expect((await post(encode(request([span(traceId)])), protobuf)).status).toBe(200);
  });

  it('answers 400 / INVALID_ARGUMENT, not 503, to spans the store refuses, and stays healthy', async () => {
    // 2^63-1 ns passes the collector's checks; its daily partition bound overflows a bigint.
    const last = 2n ** 63n - 1n;
    const refused = () =>
      request([span(ids().traceId, { startTimeUnixNano: last, endTimeUnixNano: last })]);
    const response = await post(encode(refused()), protobuf);
    expect(response.status).toBe(400);
    expect(response.headers.get('retry-after')).toBeNull();
    expect(await response.json()).toMatchObject({ error: { code: 'bad_request' } });
    const grpc = await grpcClient(harness.grpcUrl)
      .export(refused(), { headers: { authorization: `Bearer ${token}` } })
      .catch((error: unknown) => ConnectError.from(error));
    expect(grpc).toBeInstanceOf(ConnectError);
    expect((grpc as ConnectError).code).toBe(Code.InvalidArgument);
    const { traceId } = ids();
    expect((await post(encode(request([span(traceId)])), protobuf)).status).toBe(200);
  });

  it('answers an error status to gRPC messages that are not OTLP, and stays healthy', async () => {
    // resource_spans holding a cut varint: the span decoder refuses it
    const badSpans = await grpcRawExport(
      harness.grpcUrl,
      token,
      Uint8Array.of(0x0a, 0x02, 0xff, 0xff),
    );
    expect(badSpans).toBe(String(Code.InvalidArgument));
    // a length running past the message: connect's own parser refuses it (INTERNAL, its choice)
    const badFrame = await grpcRawExport(harness.grpcUrl, token, Uint8Array.of(0x0a, 0x05, 0x12));
    expect(badFrame).toBe(String(Code.Internal));
    const { traceId } = ids();
    expect(await grpcRawExport(harness.grpcUrl, token, encode(request([span(traceId)])))).toBe('0');
  });

  it('answers 400 to a truncated gzip body', async () => {
    const { traceId } = ids();
    const zipped = gzipSync(encode(request([span(traceId)])));
    const response = await post(zipped.subarray(0, zipped.length - 8), {
      ...protobuf,
      'content-encoding': 'gzip',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { message: /gzip/ } });
  });

  it('answers 413 to a body over 8 MiB, plain or as a gzip bomb', async () => {
    const plain = await post(new Uint8Array(8 * 1024 * 1024 + 1), protobuf);
    expect(plain.status).toBe(413);
    expect(await plain.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const bombed = await post(bomb, { ...protobuf, 'content-encoding': 'gzip' });
    expect(bombed.status).toBe(413);
  });

  it('answers RESOURCE_EXHAUSTED to a gRPC message over 8 MiB', async () => {
    const { traceId } = ids();
    const message = request([span(traceId, { attributes: [str('big', 'x'.repeat(9 << 20))] })]);
    const call = grpcClient(harness.grpcUrl).export(message, {
      headers: { authorization: `Bearer ${token}` },
    });
    await expect(call).rejects.toSatisfy(
      (error) => ConnectError.from(error).code === Code.ResourceExhausted,
    );
  });

  it('answers 415 to other content types and encodings', async () => {
    const text = await post('hello', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({
      error: { code: 'unsupported_media_type', message: /application\/x-protobuf/ },
    });
    const brotli = await post('x', { ...protobuf, 'content-encoding': 'br' });
    expect(brotli.status).toBe(415);
  });

  it('answers 501 not_supported to metrics and logs', async () => {
    for (const path of ['/v1/metrics', '/v1/logs']) {
      const response = await harness.http(path, { method: 'POST', headers: protobuf, body: 'x' });
      expect(response.status).toBe(501);
      expect(await response.json()).toEqual({
        error: { code: 'not_supported', message: 'to11 accepts traces only' },
      });
    }
  });

  it('answers 404 JSON to unknown paths', async () => {
    const response = await harness.http('/v2/nothing');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
