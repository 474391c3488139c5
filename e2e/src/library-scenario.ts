/**
 * The scenario every tracing-library test runs, the way a user sets the library up: the product
 * (all-in-one) in front of the fake provider, an app tracer provider exporting to the collector
 * with the official OTLP exporter and the API key as the bearer, and
 * `@opentelemetry/instrumentation-undici` injecting `traceparent` into the OpenAI SDK's `fetch`.
 * The library under test instruments the real `openai` package; one call goes through the
 * gateway and one straight to the fake provider, and the read API must show each as one trace
 * with the call's tokens counted once, normalised provider and model, and a cost.
 */
import type { TracerProvider } from '@opentelemetry/api';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import type { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_USAGE } from './fake-openai.ts';
import { type FakeProvider, startFakeProvider } from './fake-provider.ts';
import { PROVIDER_KEY } from './gateway-client.ts';
import { createAppTracerProvider } from './otel-app.ts';
import {
  dashboardTotals,
  listTraces,
  type ReadSpan,
  type ReadTrace,
  type TraceSummary,
  waitForTrace,
} from './to11-api.ts';
import { type StartedTopology, TOPOLOGIES } from './topologies.ts';

/** The model every call asks for; the fake provider answers with the same name. */
export const LIBRARY_MODEL = 'gpt-4o-mini';

/** The gateway's price of one fake answer: gpt-4o-mini at $0.15 / $0.60 per million tokens. */
export const FAKE_CALL_COST = (FAKE_USAGE.input * 0.15 + FAKE_USAGE.output * 0.6) / 1_000_000;

/** The gateway's spans of one proxied call: its HTTP server span and its GenAI span. */
export const GATEWAY_SPANS = ['POST /v1/chat/completions', `chat ${LIBRARY_MODEL}`] as const;

/** An OpenAI-compatible endpoint and what a client sends it. */
export interface ChatTarget {
  baseURL: string;
  apiKey: string;
  /** On the gateway, the to11 key in `x-to11-authorization`. */
  headers: Record<string, string>;
}

/** A running scenario. */
export interface LibraryScenario {
  fake: FakeProvider;
  started: StartedTopology;
  /** The app's tracer provider: what the library under test must write its spans with. */
  tracerProvider: BasicTracerProvider;
  /** Where an OpenAI-compatible client sends a call: through the gateway, or straight on. */
  targets: Record<'gateway' | 'direct', ChatTarget>;
  /**
   * Registers `@opentelemetry/instrumentation-undici` (the app's own tracer provider unless the
   * library set up another), so every `fetch` under a span carries `traceparent`.
   */
  injectTraceparent(tracerProvider?: TracerProvider): void;
  /** Exports every ended span of the app's tracer provider now. */
  flush(): Promise<void>;
  /** The trace id of the fake provider's last request, from its `traceparent`. */
  lastUpstreamTraceId(): string;
  /** Polls the read API until the trace holds `minSpans` spans. */
  trace(traceId: string, minSpans: number): Promise<ReadTrace>;
  /** The trace list's row of a trace. */
  summary(traceId: string): Promise<TraceSummary | undefined>;
  dispose(): Promise<void>;
}

/** Starts the product, the fake provider and the app's tracer provider. */
export async function startLibraryScenario(serviceName: string): Promise<LibraryScenario> {
  const [allInOne] = TOPOLOGIES;
  const fake = await startFakeProvider();
  let started: StartedTopology;
  try {
    started = await (allInOne as NonNullable<typeof allInOne>).start(fake.baseUrl);
  } catch (error) {
    await fake.close();
    throw error;
  }
  const { gatewayUrl, grpcUrl, httpUrl, apiKey } = started.product;
  // The API key itself as the bearer: what OTEL_EXPORTER_OTLP_HEADERS configures.
  const tracerProvider = createAppTracerProvider({ grpcUrl, ingestToken: apiKey, serviceName });
  let undici: UndiciInstrumentation | undefined;
  return {
    fake,
    started,
    tracerProvider,
    injectTraceparent: (provider = tracerProvider) => {
      // Client spans only under a span of the app, so the test's read-API calls stay untraced.
      undici = new UndiciInstrumentation({ requireParentforSpans: true });
      undici.setTracerProvider(provider);
    },
    targets: {
      gateway: {
        baseURL: `${gatewayUrl}/v1`,
        apiKey: PROVIDER_KEY,
        headers: { 'x-to11-authorization': `Bearer ${apiKey}` },
      },
      direct: { baseURL: fake.baseUrl, apiKey: PROVIDER_KEY, headers: {} },
    },
    flush: () => tracerProvider.forceFlush(),
    lastUpstreamTraceId: () => {
      const traceparent = fake.requests.at(-1)?.headers.traceparent;
      if (traceparent === undefined) throw new Error('the provider saw no traceparent');
      return traceparent.split('-')[1] ?? '';
    },
    trace: (traceId, minSpans) => waitForTrace(httpUrl, apiKey, traceId, minSpans),
    summary: async (traceId) =>
      (await listTraces(httpUrl, apiKey)).find((row) => row.traceId === traceId),
    dispose: async () => {
      undici?.disable();
      await tracerProvider.shutdown();
      await started.dispose();
      await fake.close();
    },
  };
}

/** Whether `ancestor` is on the parent chain of `span` within the trace. */
export function descendsFrom(trace: ReadTrace, span: ReadSpan, ancestor: ReadSpan): boolean {
  const byId = new Map(trace.spans.map((each) => [each.spanId, each]));
  let parentId = span.parentSpanId;
  while (parentId !== null) {
    if (parentId === ancestor.spanId) return true;
    parentId = byId.get(parentId)?.parentSpanId ?? null;
  }
  return false;
}

/** How a test instruments the `openai` package with the library under test. */
export interface LibraryUnderTest {
  /** What the describe block says, e.g. `OpenInference (@arizeai/…-openai 4.2.7)`. */
  title: string;
  /** The `service.name` of the app's spans. */
  serviceName: string;
  /**
   * The library's processor drops undici's client span (Langfuse's default span filter): the
   * gateway's spans point at a parent that is never stored, and the call must still count once.
   */
  dropsClientSpan?: boolean;
  /** The name of the library's span for one chat call (may equal the gateway's GenAI span's). */
  spanName: string;
  /**
   * Patches the OpenAI SDK (`manuallyInstrument`) to write spans with the app's provider, or sets
   * up the library's own; returns that one's provider and flush when it does.
   */
  instrument(app: AppSetup): OwnTracing | undefined | Promise<OwnTracing | undefined>;
  /**
   * Makes one chat call (system + user message, model `LIBRARY_MODEL`) to `target` and returns
   * the input tokens the library reported; default: the `openai` SDK.
   */
  chat?(target: ChatTarget, app: AppSetup): Promise<number | undefined>;
  /** The trace list's providers of a direct call (default `["openai"]`). */
  directProviders?: string[];
}

/** The chat call every library test makes, with the `openai` SDK. */
export function openaiChatCompletion(target: ChatTarget) {
  const client = new OpenAI({
    baseURL: target.baseURL,
    apiKey: target.apiKey,
    defaultHeaders: target.headers,
  });
  return client.chat.completions.create({
    model: LIBRARY_MODEL,
    messages: [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Say hello' },
    ],
  });
}

/** One chat call with the `openai` SDK; answers the input tokens of the response. */
async function openaiChat(target: ChatTarget): Promise<number | undefined> {
  return (await openaiChatCompletion(target)).usage?.prompt_tokens;
}

/** What an app has to set a library up with. */
export interface AppSetup {
  /** The app's tracer provider, exporting to the collector. */
  tracerProvider: BasicTracerProvider;
  /** The collector's OTLP/HTTP origin. */
  httpUrl: string;
  /** An API key with `otel:write`. */
  apiKey: string;
}

/** A library that brings its own tracer provider and exporter. */
export interface OwnTracing {
  tracerProvider: TracerProvider;
  flush(): Promise<void>;
}

/**
 * The tests of one library: a chat call through the gateway, one straight to the provider, and
 * the project's totals after both.
 */
export function describeLibrary(library: LibraryUnderTest): void {
  describe(`${library.title}: real package, spans exported to the collector`, () => {
    let scenario: LibraryScenario;
    let own: OwnTracing | undefined;
    let app: AppSetup;
    beforeAll(async () => {
      scenario = await startLibraryScenario(library.serviceName);
      const { httpUrl, apiKey } = scenario.started.product;
      app = { tracerProvider: scenario.tracerProvider, httpUrl, apiKey };
      own = await library.instrument(app);
      scenario.injectTraceparent(own?.tracerProvider);
    });
    const chat = (target: ChatTarget) => (library.chat ?? openaiChat)(target, app);
    const flush = async () => {
      await own?.flush();
      await scenario.flush();
    };
    afterAll(async () => {
      await scenario?.dispose();
    });

    const expectCountedOnce = async (traceId: string, providers = ['openai']) => {
      const summary = await scenario.summary(traceId);
      expect(summary).toMatchObject({
        inputTokens: FAKE_USAGE.input,
        outputTokens: FAKE_USAGE.output,
        providers,
        models: [LIBRARY_MODEL],
      });
      expect(summary?.cost).toBeCloseTo(FAKE_CALL_COST, 12);
    };

    it('makes one trace through the gateway: library span above the gateway spans', async () => {
      expect(await chat(scenario.targets.gateway)).toBe(FAKE_USAGE.input);
      await flush();
      const traceId = scenario.lastUpstreamTraceId();
      // The library's span, undici's client span, the gateway's HTTP and GenAI spans.
      const trace = await scenario.trace(traceId, library.dropsClientSpan ? 3 : 4);
      const find = (name: string, source: ReadSpan['source']) =>
        trace.spans.find((span) => span.name === name && span.source === source);
      const librarySpan = find(library.spanName, 'otlp');
      const gatewaySpan = find(GATEWAY_SPANS[0], 'gateway');
      expect(librarySpan, trace.spans.map((span) => span.name).join(', ')).toBeDefined();
      expect(gatewaySpan).toBeDefined();
      expect(find(GATEWAY_SPANS[1], 'gateway')).toBeDefined();
      expect(
        descendsFrom(trace, gatewaySpan as ReadSpan, librarySpan as ReadSpan),
        library.dropsClientSpan
          ? 'the span linking the gateway to the library span was not exported'
          : 'the gateway span sits below the library span',
      ).toBe(!library.dropsClientSpan);
      // Both the library's span and the gateway's carry the usage; the gateway's counts.
      await expectCountedOnce(traceId);
    });

    it('reads the library span alone as an LLM call when calling the provider directly', async () => {
      expect(await chat(scenario.targets.direct)).toBe(FAKE_USAGE.input);
      await flush();
      const traceId = scenario.lastUpstreamTraceId();
      const trace = await scenario.trace(traceId, library.dropsClientSpan ? 1 : 2);
      expect(trace.spans.map((span) => span.name)).toContain(library.spanName);
      expect(trace.spans.every((span) => span.source === 'otlp')).toBe(true);
      await expectCountedOnce(traceId, library.directProviders);
    });

    it('counts each of the two calls once in the project totals', async () => {
      const { httpUrl, apiKey } = scenario.started.product;
      const totals = await dashboardTotals(httpUrl, apiKey);
      expect(totals).toMatchObject({
        calls: 2,
        inputTokens: 2 * FAKE_USAGE.input,
        outputTokens: 2 * FAKE_USAGE.output,
      });
      expect(totals.cost).toBeCloseTo(2 * FAKE_CALL_COST, 12);
    });
  });
}
