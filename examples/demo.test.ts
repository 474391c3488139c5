/**
 * Every example run with no provider key against the all-in-one in demo mode (`pnpm demo`):
 * the placeholder key reaches the demo provider, whose canned answer comes back, and each
 * printed trace is readable from the read API.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ANSWER } from '../apps/cli/src/demo/demo-answers.ts';
import { waitForTrace } from '../e2e/src/to11-api.ts';
import { freshDataDir, type RunningProduct, startAllInOne } from '../e2e/src/topology.ts';
import { runExample } from './run-example.ts';

let product: RunningProduct;
let dataDir: string;

beforeAll(async () => {
  dataDir = freshDataDir();
  // Demo mode replaces the provider base URLs: this closed port is never called.
  product = await startAllInOne({
    providerBaseUrl: 'http://127.0.0.1:1/v1',
    dataDir,
    env: { TO11_DEMO: '1' },
  });
});

afterAll(async () => {
  await product?.stop();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
});

describe('examples without a provider key, against pnpm demo', () => {
  it.each([
    // command, file, traces printed, spans in each trace (see examples.test.ts)
    ['node', 'openai-sdk.mjs', 2, 2],
    ['node', 'anthropic-sdk.mjs', 2, 2],
    ['node', 'vercel-ai-sdk.mjs', 2, 2],
    ['node', 'otel-custom-spans.mjs', 1, 4],
    ['sh', 'curl-traceparent.sh', 1, 4],
  ] as const)(
    '%s %s gets the canned answer and prints readable traces',
    async (command, file, count, spans) => {
      // No OPENAI_API_KEY, no ANTHROPIC_API_KEY: the examples send their placeholder.
      const stdout = await runExample(product, command, file, {});
      expect(stdout).toContain(DEMO_ANSWER);
      const traces = [...stdout.matchAll(/^trace: ([0-9a-f]{32})$/gm)].map(
        (match) => match[1] ?? '',
      );
      expect(traces, stdout).toHaveLength(count);
      for (const traceId of traces) {
        const trace = await waitForTrace(product.httpUrl, product.apiKey, traceId, spans);
        const genAi = trace.spans.find(
          (span) => span.source === 'gateway' && 'gen_ai.operation.name' in span.attributes,
        );
        expect(genAi?.attributes['gen_ai.usage.output_tokens'], traceId).toBeGreaterThan(0);
      }
    },
  );
});
