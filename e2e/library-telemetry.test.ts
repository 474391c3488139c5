/**
 * A tracing library's spans and the gateway's in one trace, each LLM call counted once: the
 * Vercel AI SDK with `experimental_telemetry`, its spans exported to the collector with the API
 * key as the OTLP bearer (no token exchange), its provider calls sent through the gateway with
 * `traceparent` injected by a fetch wrapper (what `@opentelemetry/instrumentation-undici` does).
 * The wrapper span `ai.generateText`, the provider-call span `ai.generateText.doGenerate` and the
 * gateway's GenAI span all carry the call's usage; the trace list sums it once.
 */
import { createOpenAI } from '@ai-sdk/openai';
import { context, propagation } from '@opentelemetry/api';
import { generateText } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_USAGE } from './src/fake-openai.ts';
import { type FakeProvider, startFakeProvider } from './src/fake-provider.ts';
import { PROVIDER_KEY } from './src/gateway-client.ts';
import { createAppTracerProvider } from './src/otel-app.ts';
import { waitForTrace } from './src/to11-api.ts';
import { type StartedTopology, TOPOLOGIES } from './src/topologies.ts';

const [allInOne] = TOPOLOGIES;

/** `fetch` that injects the active context's `traceparent`, as the undici instrumentation does. */
const tracingFetch: typeof fetch = (input, init) => {
  const headers = new Headers(init?.headers);
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  for (const [name, value] of Object.entries(carrier)) headers.set(name, value);
  return fetch(input, { ...init, headers });
};

describe('Vercel AI SDK telemetry through the gateway, on the all-in-one', () => {
  let fake: FakeProvider;
  let started: StartedTopology;
  beforeAll(async () => {
    fake = await startFakeProvider();
    started = await (allInOne as NonNullable<typeof allInOne>).start(fake.baseUrl);
  });
  afterAll(async () => {
    await started?.dispose();
    await fake?.close();
  });

  it('makes one trace whose totals count the call once, provider normalised', async () => {
    const { gatewayUrl, grpcUrl, httpUrl, apiKey } = started.product;
    // The API key itself as the bearer: what OTEL_EXPORTER_OTLP_HEADERS configures.
    const tracerProvider = createAppTracerProvider({
      grpcUrl,
      ingestToken: apiKey,
      serviceName: 'e2e-vercel-ai',
    });
    const openai = createOpenAI({
      baseURL: `${gatewayUrl}/v1`,
      apiKey: PROVIDER_KEY,
      headers: { 'x-to11-authorization': `Bearer ${apiKey}` },
      fetch: tracingFetch,
    });
    const result = await generateText({
      model: openai.chat('gpt-4o-mini'),
      prompt: 'Say hello',
      experimental_telemetry: { isEnabled: true, tracer: tracerProvider.getTracer('ai') },
    });
    expect(result.usage.inputTokens).toBe(FAKE_USAGE.input);
    await tracerProvider.shutdown();

    const upstream = fake.requests.at(-1)?.headers.traceparent;
    const traceId = String(upstream).split('-')[1] ?? '';
    const trace = await waitForTrace(httpUrl, apiKey, traceId, 4);
    const names = trace.spans.map((span) => span.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'ai.generateText',
        'ai.generateText.doGenerate',
        'POST /v1/chat/completions',
        'chat gpt-4o-mini',
      ]),
    );
    const byName = new Map(trace.spans.map((span) => [span.name, span]));
    expect(byName.get('POST /v1/chat/completions')?.parentSpanId).toBe(
      byName.get('ai.generateText.doGenerate')?.spanId,
    );

    const list = await fetch(`${httpUrl}/api/v1/traces?limit=50`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    const { traces } = (await list.json()) as {
      traces: { traceId: string; inputTokens: number; outputTokens: number; providers: string[] }[];
    };
    expect(traces.find((summary) => summary.traceId === traceId)).toMatchObject({
      // Three spans carry this usage; the innermost (the gateway's) counts.
      inputTokens: FAKE_USAGE.input,
      outputTokens: FAKE_USAGE.output,
      providers: ['openai'],
    });
  });
});
