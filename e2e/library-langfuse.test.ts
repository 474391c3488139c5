/**
 * The Langfuse SDK (`@langfuse/otel` `LangfuseSpanProcessor` + `@langfuse/tracing`) pointed at
 * the collector unchanged: `baseUrl` = the collector's OTLP/HTTP origin, `publicKey` = the
 * project id, `secretKey` = a to11 API key (Basic auth at `/api/public/otel/v1/traces`). The
 * OpenAI call runs inside an active generation, with `@opentelemetry/instrumentation-undici`
 * on the same provider carrying `traceparent` to the gateway. The processor exports only
 * Langfuse's and known LLM libraries' spans by default, so undici's client span is dropped and
 * the gateway's spans point at a parent never stored: the count-once rule places them below the
 * generation that contains them in time. `shouldExportSpan: () => true` keeps undici's span, and
 * the gateway's spans hang below the generation. Both setups count the call once.
 */
import { LangfuseSpanProcessor } from '@langfuse/otel';
import { setLangfuseTracerProvider, startActiveObservation } from '@langfuse/tracing';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import {
  describeLibrary,
  LIBRARY_MODEL,
  type LibraryUnderTest,
  openaiChatCompletion,
} from './src/library-scenario.ts';

/** The Langfuse setup, with its default span filter or one that exports every span. */
const langfuse = (exportAll: boolean): LibraryUnderTest => ({
  title: `Langfuse (@langfuse/otel 5.11.1, @langfuse/tracing 5.11.1), ${exportAll ? 'every span exported' : 'default span filter'}`,
  serviceName: 'e2e-langfuse',
  dropsClientSpan: !exportAll,
  spanName: 'llm-call',
  // Langfuse's generation names no provider; only the gateway's span does.
  directProviders: [],
  async instrument({ httpUrl, apiKey }) {
    const projects = await fetch(`${httpUrl}/api/v1/projects`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    const [project] = ((await projects.json()) as { projects: { id: string }[] }).projects;
    const tracerProvider = new BasicTracerProvider({
      spanProcessors: [
        new LangfuseSpanProcessor({
          baseUrl: httpUrl,
          publicKey: project?.id ?? '',
          secretKey: apiKey,
          exportMode: 'immediate',
          ...(exportAll ? { shouldExportSpan: () => true } : {}),
        }),
      ],
    });
    setLangfuseTracerProvider(tracerProvider);
    return { tracerProvider, flush: () => tracerProvider.forceFlush() };
  },
  chat: (target) =>
    startActiveObservation(
      'llm-call',
      async (generation) => {
        generation.update({ model: LIBRARY_MODEL, input: 'Say hello' });
        const answer = await openaiChatCompletion(target);
        generation.update({
          output: answer.choices[0]?.message,
          usageDetails: {
            input: answer.usage?.prompt_tokens ?? 0,
            output: answer.usage?.completion_tokens ?? 0,
          },
        });
        return answer.usage?.prompt_tokens;
      },
      { asType: 'generation' },
    ),
});

describeLibrary(langfuse(false));
describeLibrary(langfuse(true));
