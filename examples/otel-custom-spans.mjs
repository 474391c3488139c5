// Your own OpenTelemetry spans next to the gateway's, in one trace.
//  1. Export your spans over OTLP/gRPC to the collector, the API key as the bearer, set the
//     standard way (OTEL_EXPORTER_OTLP_HEADERS): nothing expires while the key is valid.
//  2. Call the gateway inside your span with W3C `traceparent` injected: the gateway's spans
//     become children of yours, and the provider receives the same trace id.
//
//   TO11_API_KEY=to11_... OPENAI_API_KEY=sk-... node examples/otel-custom-spans.mjs
//
// Without OPENAI_API_KEY it sends a placeholder key, which only the demo provider answers
// (`pnpm demo`: canned answers, real traces).
//
// TO11_GATEWAY_URL (default http://127.0.0.1:4000/v1), OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
// (default http://127.0.0.1:4317).
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import OpenAI from 'openai';

const apiKey = process.env.TO11_API_KEY;
if (!apiKey) throw new Error('set TO11_API_KEY (printed by the first start)');
const gatewayUrl = process.env.TO11_GATEWAY_URL ?? 'http://127.0.0.1:4000/v1';

// 1. The OTel SDK. The gRPC exporter takes its metadata from the standard OTel variable.
process.env.OTEL_EXPORTER_OTLP_HEADERS ??= `authorization=${encodeURIComponent(`Bearer ${apiKey}`)}`;
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'otel-custom-spans-example' }),
  spanProcessors: [
    new BatchSpanProcessor(
      new OTLPTraceExporter({
        url: process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? 'http://127.0.0.1:4317',
      }),
    ),
  ],
});
trace.setGlobalTracerProvider(provider);
const tracer = trace.getTracer('otel-custom-spans-example');

const openai = new OpenAI({
  baseURL: gatewayUrl,
  apiKey: process.env.OPENAI_API_KEY || 'no-provider-key-demo-mode',
  defaultHeaders: { 'x-to11-authorization': `Bearer ${apiKey}` },
});

// 2. Your work as spans; the LLM call inside them carries the context to the gateway.
await tracer.startActiveSpan('answer-question', async (root) => {
  try {
    const documents = await tracer.startActiveSpan('retrieve-documents', async (span) => {
      span.setAttributes({ 'gen_ai.operation.name': 'retrieval', 'retrieval.documents': 2 });
      span.end();
      return ['to11 is an LLM gateway.', 'It shares one trace store with an OTLP collector.'];
    });
    const headers = {};
    propagation.inject(context.active(), headers); // adds `traceparent` (and `tracestate`)
    const completion = await openai.chat.completions.create(
      {
        model: process.env.OPENAI_MODEL ?? 'gpt-4o-mini',
        messages: [
          { role: 'system', content: documents.join('\n') },
          { role: 'user', content: 'What is to11?' },
        ],
      },
      { headers },
    );
    console.log(`answer: ${completion.choices[0]?.message.content}`);
    console.log(`trace: ${root.spanContext().traceId}`);
  } finally {
    root.end();
  }
});

// Flush before exit: a 200 from the collector means the spans are stored.
await provider.shutdown();
