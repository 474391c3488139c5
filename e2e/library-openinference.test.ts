/**
 * Arize OpenInference's OpenAI instrumentation, the real package, patching the real `openai`
 * SDK; `@opentelemetry/instrumentation-undici` carries its span's context to the gateway.
 */
import { OpenAIInstrumentation } from '@arizeai/openinference-instrumentation-openai';
import OpenAI from 'openai';
import { describeLibrary } from './src/library-scenario.ts';

describeLibrary({
  title: 'OpenInference (@arizeai/openinference-instrumentation-openai 4.2.7)',
  serviceName: 'e2e-openinference',
  spanName: 'OpenAI Chat Completions',
  instrument({ tracerProvider }) {
    const instrumentation = new OpenAIInstrumentation({ tracerProvider });
    // ESM imports do not pass through the require hook: patch the loaded module directly.
    instrumentation.manuallyInstrument(OpenAI);
    return undefined;
  },
});
