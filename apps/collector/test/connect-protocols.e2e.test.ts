import { Code, ConnectError, createClient, type Transport } from '@connectrpc/connect';
import {
  createConnectTransport,
  createGrpcTransport,
  createGrpcWebTransport,
} from '@connectrpc/connect-node';
import { testEngines } from '@to11/store/testing';
import { TraceService } from '@to11/trace-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.ts';
import { ids, request, span } from './otlp-requests.ts';
import { readTrace } from './read-api-client.ts';

describe.each(testEngines())(
  'TraceService over every connect protocol on the %s store',
  (engine) => {
    let harness: Harness;
    let token: string;
    beforeAll(async () => {
      harness = await startHarness(engine);
      token = await harness.ingestToken();
    });
    afterAll(() => harness?.close());

    const transports: [string, () => Transport][] = [
      ['gRPC on the h2c port', () => createGrpcTransport({ baseUrl: harness.grpcUrl })],
      [
        'Connect (HTTP/2) on the h2c port',
        () => createConnectTransport({ baseUrl: harness.grpcUrl, httpVersion: '2' }),
      ],
      [
        'gRPC-web (HTTP/2) on the h2c port',
        () => createGrpcWebTransport({ baseUrl: harness.grpcUrl, httpVersion: '2' }),
      ],
      [
        'Connect JSON (HTTP/1.1) on the HTTP port',
        () =>
          createConnectTransport({
            baseUrl: harness.httpUrl,
            httpVersion: '1.1',
            useBinaryFormat: false,
          }),
      ],
      [
        'gRPC-web (HTTP/1.1) on the HTTP port',
        () => createGrpcWebTransport({ baseUrl: harness.httpUrl, httpVersion: '1.1' }),
      ],
    ];

    it.each(transports)(
      'stores spans sent with %s, and requires the token',
      async (_, transport) => {
        const client = createClient(TraceService, transport());
        const { traceId, traceHex } = ids();
        const answer = await client.export(request([span(traceId, { name: 'via connect' })]), {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(answer.partialSuccess).toBeUndefined();
        const reply = await readTrace(harness, traceHex);
        expect(reply.body.spans).toEqual([expect.objectContaining({ name: 'via connect' })]);
        await expect(client.export(request([span(traceId)]))).rejects.toSatisfy(
          (error) => ConnectError.from(error).code === Code.Unauthenticated,
        );
      },
    );
  },
);
