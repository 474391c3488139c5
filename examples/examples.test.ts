/**
 * Every example runs as a user runs it (`node examples/<file>.mjs`, `sh examples/….sh`) against
 * the built all-in-one and a fake provider; its output is checked and its trace read back.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_ANSWER, type FakeProvider, startFakeProvider } from '../e2e/src/fake-provider.ts';
import { type ReadTrace, waitForTrace } from '../e2e/src/to11-api.ts';
import { freshDataDir, type RunningProduct, startAllInOne } from '../e2e/src/topology.ts';
import { childrenOf, onlyChildOf, outline } from '../e2e/src/trace-shape.ts';
import { runExample as runWith } from './run-example.ts';

let fake: FakeProvider;
let product: RunningProduct;
let dataDir: string;

beforeAll(async () => {
  fake = await startFakeProvider();
  dataDir = freshDataDir();
  product = await startAllInOne({ providerBaseUrl: fake.baseUrl, dataDir });
});

afterAll(async () => {
  await product?.stop();
  await fake?.close();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
});

/** Runs an example with the environment the README tells a user to set; returns stdout. */
function runExample(command: string, file: string): Promise<string> {
  return runWith(product, command, file, {
    OPENAI_API_KEY: 'sk-example-openai-key',
    ANTHROPIC_API_KEY: 'sk-ant-example-key',
  });
}

/** The trace ids an example printed (`trace: <id>` lines), in order. */
function printedTraces(stdout: string): string[] {
  return [...stdout.matchAll(/^trace: ([0-9a-f]{32})$/gm)].map((match) => match[1] ?? '');
}

/** A gateway call's trace: its HTTP span as root with one GenAI span under it. */
async function gatewayCall(traceId: string): Promise<{ http: string; genAi: string }> {
  const trace = await waitForTrace(product.httpUrl, product.apiKey, traceId, 2);
  const http = onlyChildOf(trace, null);
  return { http: http.name, genAi: onlyChildOf(trace, http.spanId).name };
}

describe('examples', () => {
  it('openai-sdk.mjs answers, streams, and leaves one trace per call', async () => {
    const stdout = await runExample('node', 'openai-sdk.mjs');
    expect(stdout).toContain(`answer: ${FAKE_ANSWER}`);
    expect(stdout).toContain(`streamed: ${FAKE_ANSWER}`);
    const traces = printedTraces(stdout);
    expect(traces, stdout).toHaveLength(2);
    for (const traceId of traces) {
      expect(await gatewayCall(traceId)).toEqual({
        http: 'POST /v1/chat/completions',
        genAi: 'chat gpt-4o-mini',
      });
    }
  });

  it('anthropic-sdk.mjs answers, streams, and leaves one trace per call', async () => {
    const stdout = await runExample('node', 'anthropic-sdk.mjs');
    expect(stdout).toContain(`answer: ${FAKE_ANSWER}`);
    expect(stdout).toContain(`streamed: ${FAKE_ANSWER}`);
    const traces = printedTraces(stdout);
    expect(traces, stdout).toHaveLength(2);
    for (const traceId of traces) {
      expect(await gatewayCall(traceId)).toEqual({
        http: 'POST /v1/messages',
        genAi: 'chat claude-sonnet-4-6',
      });
    }
  });

  it('vercel-ai-sdk.mjs calls OpenAI and streams from Anthropic through the gateway', async () => {
    const stdout = await runExample('node', 'vercel-ai-sdk.mjs');
    expect(stdout).toContain(`answer: ${FAKE_ANSWER}`);
    expect(stdout).toContain(`streamed: ${FAKE_ANSWER}`);
    const [openaiTrace, anthropicTrace] = printedTraces(stdout);
    expect(await gatewayCall(openaiTrace ?? '')).toEqual({
      http: 'POST /v1/chat/completions',
      genAi: 'chat gpt-4o-mini',
    });
    expect(await gatewayCall(anthropicTrace ?? '')).toEqual({
      http: 'POST /v1/messages',
      genAi: 'chat claude-sonnet-4-6',
    });
  });

  it('otel-custom-spans.mjs puts its own spans and the gateway call in one trace', async () => {
    const stdout = await runExample('node', 'otel-custom-spans.mjs');
    expect(stdout).toContain(`answer: ${FAKE_ANSWER}`);
    const [traceId] = printedTraces(stdout);
    const trace: ReadTrace = await waitForTrace(product.httpUrl, product.apiKey, traceId ?? '', 4);
    const tree = outline(trace);
    const root = onlyChildOf(trace, null);
    expect([root.name, root.source], tree).toEqual(['answer-question', 'otlp']);
    const children = childrenOf(trace, root.spanId).map((span) => [span.name, span.source]);
    expect(children.sort(), tree).toEqual([
      ['POST /v1/chat/completions', 'gateway'],
      ['retrieve-documents', 'otlp'],
    ]);
    const http = childrenOf(trace, root.spanId).find((span) => span.source === 'gateway');
    expect(onlyChildOf(trace, http?.spanId ?? null).name, tree).toBe('chat gpt-4o-mini');
    const upstream = fake.requests.at(-1);
    expect(upstream?.headers.traceparent?.split('-')[1]).toBe(traceId);
  });

  it('curl-traceparent.sh chains its second call under the first call through the returned traceparent', async () => {
    const stdout = await runExample('sh', 'curl-traceparent.sh');
    expect(stdout).toContain(FAKE_ANSWER);
    const [traceId] = printedTraces(stdout);
    const firstSpan = /^first call's gateway span: ([0-9a-f]{16})$/m.exec(stdout)?.[1];
    const trace = await waitForTrace(product.httpUrl, product.apiKey, traceId ?? '', 4);
    const tree = outline(trace);
    expect(trace.spans, tree).toHaveLength(4);
    const first = trace.spans.find((span) => span.spanId === firstSpan);
    expect(first?.name, tree).toBe('POST /v1/chat/completions');
    const underFirst = childrenOf(trace, firstSpan ?? null).map((span) => span.kind);
    expect(underFirst.sort(), tree).toEqual(['CLIENT', 'SERVER']);
  });
});
