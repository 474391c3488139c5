/**
 * The Vercel AI SDK's `experimental_telemetry`, the real packages (`ai` 6, `@ai-sdk/openai` 3):
 * its spans exported to the collector with the API key as the OTLP bearer (no token exchange),
 * `traceparent` injected into its `fetch` by `@opentelemetry/instrumentation-undici`. The
 * wrapper span `ai.generateText`, the provider-call span `ai.generateText.doGenerate` and the
 * gateway's GenAI span all carry the call's usage; the trace list sums it once, provider
 * `openai.chat` read as `openai`.
 */
import { createOpenAI } from '@ai-sdk/openai';
import { generateText } from 'ai';
import { describeLibrary, LIBRARY_MODEL } from './src/library-scenario.ts';

describeLibrary({
  title: 'Vercel AI SDK (ai 6.0.326, @ai-sdk/openai 3.0.141)',
  serviceName: 'e2e-vercel-ai',
  // The provider call; `ai.generateText` wraps it.
  spanName: 'ai.generateText.doGenerate',
  instrument: () => undefined,
  async chat(target, { tracerProvider }) {
    const openai = createOpenAI(target);
    const result = await generateText({
      model: openai.chat(LIBRARY_MODEL),
      system: 'You are terse.',
      prompt: 'Say hello',
      experimental_telemetry: { isEnabled: true, tracer: tracerProvider.getTracer('ai') },
    });
    return result.usage.inputTokens;
  },
});
