/**
 * The product promise (reference: distributed tracing): an app's own spans, the gateway's spans
 * and the provider call share one trace id and come back from the read API as one tree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgents } from './src/agents.ts';
import { FAKE_ANSWER, type FakeProvider, startFakeProvider } from './src/fake-provider.ts';
import { gatewayOpenAI, PROVIDER_KEY } from './src/gateway-client.ts';
import { createAppTracerProvider, traceHeaders } from './src/otel-app.ts';
import { exchangeIngestToken, waitForTrace } from './src/to11-api.ts';
import { type StartedTopology, TOPOLOGIES } from './src/topologies.ts';
import {
  childrenOf,
  onlyChildOf,
  outline,
  parseTraceparent,
  upstreamTraceparent,
} from './src/trace-shape.ts';

const MODEL = 'gpt-4o-mini';

for (const topology of TOPOLOGIES) {
  describe.skipIf(!topology.enabled)(topology.name, () => {
    let fake: FakeProvider;
    let started: StartedTopology;

    beforeAll(async () => {
      fake = await startFakeProvider();
      started = await topology.start(fake.baseUrl);
    });

    afterAll(async () => {
      await started?.dispose();
      await fake?.close();
    });

    it('puts the app span, two gateway calls under it (one streamed) and the provider call in one trace', async () => {
      const { gatewayUrl, grpcUrl, httpUrl, apiKey } = started.product;
      const ingestToken = await exchangeIngestToken(httpUrl, apiKey);
      const tracerProvider = createAppTracerProvider({
        grpcUrl,
        ingestToken,
        serviceName: 'e2e-app',
      });
      const tracer = tracerProvider.getTracer('e2e-app');
      const openai = gatewayOpenAI(gatewayUrl, apiKey);
      const messages = [{ role: 'user' as const, content: 'Summarize this document.' }];
      const upstreamBefore = fake.requests.length;

      const run = await tracer.startActiveSpan('summarize-document', async (span) => {
        try {
          const headers = traceHeaders();
          const first = await openai.chat.completions.create(
            { model: MODEL, messages },
            { headers },
          );
          const stream = await openai.chat.completions.create(
            { model: MODEL, messages, stream: true },
            { headers },
          );
          let streamed = '';
          for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? '';
          const { traceId, spanId } = span.spanContext();
          return {
            traceId,
            appSpanId: spanId,
            answers: [first.choices[0]?.message.content, streamed],
          };
        } finally {
          span.end();
        }
      });
      await tracerProvider.shutdown();
      expect(run.answers).toEqual([FAKE_ANSWER, FAKE_ANSWER]);

      const trace = await waitForTrace(httpUrl, apiKey, run.traceId, 5);
      const tree = outline(trace);
      expect(trace.spans, tree).toHaveLength(5);
      const root = onlyChildOf(trace, null);
      expect([root.spanId, root.name, root.source]).toEqual([
        run.appSpanId,
        'summarize-document',
        'otlp',
      ]);

      const httpSpans = childrenOf(trace, run.appSpanId);
      expect(
        httpSpans.map((span) => [span.name, span.kind, span.source]),
        tree,
      ).toEqual([
        ['POST /v1/chat/completions', 'SERVER', 'gateway'],
        ['POST /v1/chat/completions', 'SERVER', 'gateway'],
      ]);
      const genAiSpans = httpSpans.map((span) => onlyChildOf(trace, span.spanId));
      for (const span of genAiSpans) {
        expect([span.name, span.kind, span.source], tree).toEqual([
          `chat ${MODEL}`,
          'CLIENT',
          'gateway',
        ]);
        expect(span.attributes['gen_ai.request.model']).toBe(MODEL);
      }
      const projects = new Set(trace.spans.map((span) => span.resource.attributes['project.id']));
      expect(projects.size, 'every span carries the same project.id').toBe(1);

      const upstream = fake.requests.slice(upstreamBefore);
      expect(upstream.map((request) => request.path)).toEqual([
        '/v1/chat/completions',
        '/v1/chat/completions',
      ]);
      for (const request of upstream) {
        expect(request.headers.authorization).toBe(`Bearer ${PROVIDER_KEY}`);
        expect(
          request.headers['x-to11-authorization'],
          'the to11 key stays at the gateway',
        ).toBeUndefined();
      }
      expect(upstream.map((request) => request.headers.traceparent).sort()).toEqual(
        genAiSpans.map((span) => upstreamTraceparent(run.traceId, span)).sort(),
      );
    });

    it('makes a call sent with the traceparent the gateway returned a child of the first call', async () => {
      const { gatewayUrl, httpUrl, apiKey } = started.product;
      const call = (traceparent?: string) =>
        fetch(`${gatewayUrl}/v1/chat/completions`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-to11-authorization': `Bearer ${apiKey}`,
            authorization: `Bearer ${PROVIDER_KEY}`,
            ...(traceparent === undefined ? {} : { traceparent }),
          },
          body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'Step' }] }),
        });
      const first = await call();
      expect(first.status).toBe(200);
      const firstParent = first.headers.get('traceparent');
      const { traceId, spanId: firstHttpSpanId } = parseTraceparent(firstParent);
      const second = await call(firstParent ?? undefined);
      expect(second.status).toBe(200);
      const secondContext = parseTraceparent(second.headers.get('traceparent'));
      expect(secondContext.traceId).toBe(traceId);

      const trace = await waitForTrace(httpUrl, apiKey, traceId, 4);
      const tree = outline(trace);
      expect(trace.spans, tree).toHaveLength(4);
      const firstHttp = onlyChildOf(trace, null);
      expect([firstHttp.spanId, firstHttp.kind]).toEqual([firstHttpSpanId, 'SERVER']);
      const [firstGenAi, secondHttp] = childrenOf(trace, firstHttpSpanId).sort((a, b) =>
        a.kind.localeCompare(b.kind),
      );
      expect([firstGenAi?.kind, secondHttp?.kind], tree).toEqual(['CLIENT', 'SERVER']);
      expect(secondHttp?.spanId).toBe(secondContext.spanId);
      expect(onlyChildOf(trace, secondContext.spanId).kind).toBe('CLIENT');
    });

    it('keeps one trace when an agent hands its context to a second agent process', async () => {
      const { httpUrl, apiKey } = started.product;
      const ingestToken = await exchangeIngestToken(httpUrl, apiKey);
      const { code, agents, output } = await runAgents(started.product, ingestToken);
      expect(code, output).toBe(0);
      const a = agents.find((agent) => agent.role === 'a');
      const b = agents.find((agent) => agent.role === 'b');
      expect(b?.traceId, output).toBe(a?.traceId);
      if (a === undefined || b === undefined) throw new Error(output);

      const trace = await waitForTrace(httpUrl, apiKey, a.traceId, 6);
      const tree = outline(trace);
      expect(trace.spans, tree).toHaveLength(6);
      expect(onlyChildOf(trace, null).spanId, tree).toBe(a.spanId);
      const underA = childrenOf(trace, a.spanId);
      expect(underA.map((span) => [span.name, span.source]).sort(), tree).toEqual([
        ['POST /v1/chat/completions', 'gateway'],
        ['agent-b', 'otlp'],
      ]);
      const underB = onlyChildOf(trace, b.spanId);
      expect([underB.name, underB.kind], tree).toEqual(['POST /v1/chat/completions', 'SERVER']);
      expect(onlyChildOf(trace, underB.spanId).name).toBe(`chat ${MODEL}`);
    });
  });
}
