/**
 * Every example run with no provider key against the all-in-one in demo mode (`pnpm demo`):
 * the placeholder key reaches the demo provider, whose canned answer comes back, and each
 * printed trace is readable from the read API.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ANSWER } from '../apps/cli/src/demo/demo-answers.ts';
import { waitForTrace } from '../e2e/src/to11-api.ts';
import { freshDataDir, type RunningProduct, startAllInOne } from '../e2e/src/topology.ts';

const run = promisify(execFile);
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

/** Runs an example with the to11 settings only: no OPENAI_API_KEY, no ANTHROPIC_API_KEY. */
async function runWithoutProviderKeys(command: string, file: string): Promise<string> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !key.startsWith('TO11_') &&
        !key.startsWith('OTEL_') &&
        key !== 'OPENAI_API_KEY' &&
        key !== 'ANTHROPIC_API_KEY',
    ),
  );
  const { stdout } = await run(command, [resolve(import.meta.dirname, file)], {
    env: {
      ...inherited,
      TO11_API_KEY: product.apiKey,
      TO11_GATEWAY_URL: `${product.gatewayUrl}/v1`,
      TO11_URL: product.httpUrl,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: product.grpcUrl,
    },
    timeout: 30_000,
  });
  return stdout;
}

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
      const stdout = await runWithoutProviderKeys(command, file);
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
