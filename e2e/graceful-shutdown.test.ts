/**
 * SPEC §8 graceful shutdown, as an operator triggers it: SIGTERM to the process serving the
 * gateway while a stream is in flight. New connections are refused, the client still gets the
 * whole stream, the process exits 0, and the call's spans are in the store afterwards.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_USAGE } from './src/fake-openai.ts';
import { FAKE_ANSWER, type FakeProvider, startFakeProvider } from './src/fake-provider.ts';
import { gatewayOpenAI } from './src/gateway-client.ts';
import { waitForTrace } from './src/to11-api.ts';
import { type StartedTopology, TOPOLOGIES } from './src/topologies.ts';
import { onlyChildOf, outline } from './src/trace-shape.ts';

const MODEL = 'gpt-4o-mini';

/** Whether a new TCP connection to `url`'s port is accepted. */
function acceptsConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolveProbe) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolveProbe(true);
    });
    socket.once('error', () => resolveProbe(false));
  });
}

for (const topology of TOPOLOGIES) {
  describe.skipIf(!topology.enabled)(topology.name, () => {
    let fake: FakeProvider;
    let started: StartedTopology;

    beforeAll(async () => {
      fake = await startFakeProvider({ chunkDelayMs: 150 });
      started = await topology.start(fake.baseUrl);
    });

    afterAll(async () => {
      await started?.dispose();
      await fake?.close();
    });

    it('refuses new connections, finishes the in-flight stream, flushes its spans and exits 0 on SIGTERM', async () => {
      const { gatewayUrl, apiKey, processes } = started.product;
      const [gatewayProcess] = processes;
      if (gatewayProcess === undefined) throw new Error('no process');
      const traceId = randomBytes(16).toString('hex');
      const appSpanId = randomBytes(8).toString('hex');
      const openai = gatewayOpenAI(gatewayUrl, apiKey);
      const stream = await openai.chat.completions.create(
        { model: MODEL, messages: [{ role: 'user', content: 'Tell a long story.' }], stream: true },
        { headers: { traceparent: `00-${traceId}-${appSpanId}-01` } },
      );

      let text = '';
      let exit: ReturnType<typeof gatewayProcess.stop> | undefined;
      let acceptedDuringDrain: boolean | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        if (exit !== undefined && acceptedDuringDrain === undefined) {
          acceptedDuringDrain = await acceptsConnections(gatewayUrl);
        }
        // SIGTERM as soon as the first words arrived: the rest is still upstream.
        if (exit === undefined && text !== '') exit = gatewayProcess.stop('SIGTERM');
      }
      expect(text).toBe(FAKE_ANSWER);
      expect(exit, 'the stream delivered content before it ended').toBeDefined();
      expect(acceptedDuringDrain, 'new connections are refused while draining').toBe(false);
      expect(await exit, gatewayProcess.output()).toEqual({ code: 0, signal: null });

      // The all-in-one took its store down with it: start it again on the same data dir.
      // With separate processes the collector is still up and reads the same Postgres.
      const reader = processes.length > 1 ? started.product : await started.restart();
      const trace = await waitForTrace(reader.httpUrl, reader.apiKey, traceId, 2);
      const tree = outline(trace);
      const httpSpan = trace.spans.find((span) => span.parentSpanId === appSpanId);
      expect([httpSpan?.name, httpSpan?.kind], tree).toEqual([
        'POST /v1/chat/completions',
        'SERVER',
      ]);
      const genAi = onlyChildOf(trace, httpSpan?.spanId ?? null);
      expect(genAi.name).toBe(`chat ${MODEL}`);
      expect(genAi.status.code).not.toBe('ERROR');
      expect(genAi.attributes['gen_ai.usage.output_tokens']).toBe(FAKE_USAGE.output);
    });
  });
}
