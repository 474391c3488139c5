/**
 * End-to-end harness: a real store (`openTestStore`), the fake provider, and the gateway started
 * with `startGateway` on port 0, its pino logger writing to memory so tests can check log lines.
 */
import { randomBytes } from 'node:crypto';
import Anthropic from '@anthropic-ai/sdk';
import type { Store } from '@to11/store';
import { openTestStore, type TestEngine } from '@to11/store/testing';
import type { SpanRecord } from '@to11/trace-core';
import OpenAI from 'openai';
import pino from 'pino';
import { loadGatewayConfig, type StartedGateway, startGateway } from '../src/index.ts';
import { type FakeProvider, startFakeProvider } from './fake-provider.ts';
import { defaultProvider } from './provider-script.ts';

/** The provider key the tests send; it must never reach a span or a log line. */
export const PROVIDER_KEY = 'sk-test-PROVIDERSECRET0123456789';

/** A gateway under test with its store, fake provider and captured logs. */
export interface Harness {
  store: Store;
  fake: FakeProvider;
  gateway: StartedGateway;
  /** `<gateway>/v1`, the SDKs' base URL. */
  baseURL: string;
  apiKey: string;
  projectId: string;
  orgId: string;
  logs: string[];
  /** Headers that authenticate to the gateway. */
  to11Headers: Record<string, string>;
  /** Starts another gateway on the same store and fake with extra environment. */
  startGateway(env?: Record<string, string>, options?: GatewayTestOptions): Promise<StartedGateway>;
  /** The trace's spans once at least `count` of them are stored. */
  spans(traceId: string, count: number): Promise<SpanRecord[]>;
  close(): Promise<void>;
}

/** What a test may set on a gateway besides its environment. */
export interface GatewayTestOptions {
  /** The clock of limit windows, so a test can move to the next window. */
  limitClock?: () => number;
}

/** `to11_test_<32 alphanumerics>`. */
export function randomApiKey(): string {
  return `to11_test_${randomBytes(24)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 32)
    .padEnd(32, 'x')}`;
}

/** The trace id of a `traceparent` response header. */
export function traceIdOf(traceparent: string | null | undefined): string {
  const id = traceparent?.split('-')[1];
  if (!id) throw new Error(`no traceparent: ${String(traceparent)}`);
  return id;
}

/** Starts store, fake provider and gateway. */
export async function startHarness(
  engine: TestEngine,
  env: Record<string, string> = {},
  options: GatewayTestOptions = {},
): Promise<Harness> {
  const test = await openTestStore(engine, { keyCacheTtlMs: 200 });
  const store = test.store;
  const apiKey = randomApiKey();
  const boot = await store.bootstrap({ apiKey });
  if (boot.status !== 'created') throw new Error('expected a fresh store');
  const fake = await startFakeProvider(defaultProvider);
  const logs: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(line) });
  const gateways: StartedGateway[] = [];
  const start = async (
    extra: Record<string, string> = {},
    startOptions: GatewayTestOptions = options,
  ): Promise<StartedGateway> => {
    const config = loadGatewayConfig({
      TO11_GATEWAY_PORT: '0',
      TO11_OPENAI_BASE_URL: `${fake.origin}/v1`,
      TO11_ANTHROPIC_BASE_URL: fake.origin,
      ...env,
      ...extra,
    });
    // A short flush interval keeps tests from waiting on the writer's batching.
    const gateway = await startGateway({
      config,
      store,
      logger,
      writerOptions: { flushIntervalMs: 20 },
      ...startOptions,
    });
    gateways.push(gateway);
    return gateway;
  };
  const gateway = await start();
  return {
    store,
    fake,
    gateway,
    baseURL: `${gateway.url}/v1`,
    apiKey,
    projectId: boot.projectId,
    orgId: boot.orgId,
    logs,
    to11Headers: { 'x-to11-authorization': `Bearer ${apiKey}` },
    startGateway: start,
    async spans(traceId, count) {
      const deadline = Date.now() + 8_000;
      for (;;) {
        const spans = await store.spans.getTrace(boot.projectId, traceId);
        if (spans.length >= count || Date.now() > deadline) return spans;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async close() {
      for (const running of gateways) await running.close(1_000);
      await fake.close();
      await test.close();
    },
  };
}

/** The one span named `name` (fails the test when there is not exactly one). */
export function spanNamed(spans: SpanRecord[], name: string): SpanRecord {
  const found = spans.filter((span) => span.name === name);
  if (found.length !== 1) {
    throw new Error(
      `expected one span "${name}", got ${found.length}: ${spans.map((s) => s.name).join(', ')}`,
    );
  }
  return found[0] as SpanRecord;
}

/** Spans as JSON text (bigint nanoseconds as strings). */
export function spansJson(spans: SpanRecord[]): string {
  return JSON.stringify(spans, (_key, value: unknown) =>
    typeof value === 'bigint' ? value.toString() : value,
  );
}

/** Fails when a secret appears in any span or log line. */
export function secretsIn(harness: Harness, spans: SpanRecord[]): string[] {
  const text = spansJson(spans);
  const logs = harness.logs.join('\n');
  const found: string[] = [];
  for (const secret of [harness.apiKey, PROVIDER_KEY]) {
    if (text.includes(secret)) found.push(`span contains ${secret.slice(0, 8)}…`);
    if (logs.includes(secret)) found.push(`log contains ${secret.slice(0, 8)}…`);
  }
  return found;
}

/**
 * The OpenAI and Anthropic SDKs pointed at the harness's gateway with its to11 headers and the
 * provider key (of another gateway of the harness with `gateway`); `maxRetries: 0` where a test
 * must see the first answer, not an SDK retry.
 */
export function sdkClients(
  harness: Harness,
  options: { maxRetries?: number; gateway?: StartedGateway } = {},
): { openai: OpenAI; anthropic: Anthropic } {
  const { gateway = harness.gateway, ...rest } = options;
  const common = { apiKey: PROVIDER_KEY, defaultHeaders: harness.to11Headers, ...rest };
  return {
    openai: new OpenAI({ ...common, baseURL: `${gateway.url}/v1` }),
    anthropic: new Anthropic({ ...common, baseURL: gateway.url }),
  };
}

/** The text of a streamed chat completion as the OpenAI SDK reads it. */
export async function streamedText(
  stream: AsyncIterable<OpenAI.ChatCompletionChunk>,
): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  return text;
}
