/**
 * Traceloop's `@traceloop/node-server-sdk` set up as its README says, pointed at the collector:
 * `baseUrl` = the collector's OTLP/HTTP origin, `apiKey` = a to11 API key (it sends
 * `Authorization: Bearer <apiKey>` to `<baseUrl>/v1/traces`), `instrumentModules` for the ESM
 * `openai` import. It registers no HTTP instrumentation: `@opentelemetry/instrumentation-undici`,
 * on the SDK's global tracer provider, brings `traceparent` to the gateway.
 */
import { trace } from '@opentelemetry/api';
import * as traceloop from '@traceloop/node-server-sdk';
import OpenAI from 'openai';
import { describeLibrary } from './src/library-scenario.ts';

describeLibrary({
  title: 'OpenLLMetry SDK (@traceloop/node-server-sdk 0.27.0)',
  serviceName: 'e2e-traceloop-sdk',
  spanName: 'chat gpt-4o-mini',
  instrument({ httpUrl, apiKey }) {
    traceloop.initialize({
      appName: 'e2e-traceloop-sdk',
      baseUrl: httpUrl,
      apiKey: apiKey,
      disableBatch: true,
      silenceInitializationMessage: true,
      // The SDK's types name the CommonJS build of `openai`; the class is the same at runtime.
      instrumentModules: { openAI: OpenAI as never },
    });
    return { tracerProvider: trace.getTracerProvider(), flush: () => traceloop.forceFlush() };
  },
});
