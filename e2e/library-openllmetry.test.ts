/**
 * Traceloop's OpenLLMetry OpenAI instrumentation (what `@traceloop/node-server-sdk` registers),
 * the real package, patching the real `openai` SDK. It sends no `traceparent` itself;
 * `@opentelemetry/instrumentation-undici` does.
 */
import { OpenAIInstrumentation } from '@traceloop/instrumentation-openai';
import OpenAI from 'openai';
import { describeLibrary } from './src/library-scenario.ts';

describeLibrary({
  title: 'OpenLLMetry (@traceloop/instrumentation-openai 0.27.0)',
  serviceName: 'e2e-openllmetry',
  spanName: 'chat gpt-4o-mini',
  instrument({ tracerProvider }) {
    const instrumentation = new OpenAIInstrumentation();
    instrumentation.setTracerProvider(tracerProvider);
    instrumentation.manuallyInstrument(OpenAI);
    return undefined;
  },
});
