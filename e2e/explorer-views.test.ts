/**
 * The explorer's sessions, session and dashboard pages in a real browser (Debian's Chromium
 * through playwright-core) against the all-in-one: calls made through the gateway by the OpenAI
 * SDK, three of them in one session. The sessions page shows the session's totals, the session
 * page its conversation turn by turn, and the dashboard's totals equal the sum of the calls
 * made. A 5,000-span trace sent by the official OTel exporter paints in the trace page without
 * freezing it. Saves docs/screenshots/session.png and dashboard.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { context, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type OpenAI from 'openai';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCost, formatTokens } from '../apps/explorer/src/ui/format.ts';
import type { TestBrowser } from './src/browser.ts';
import { type ExplorerProduct, startExplorerProduct } from './src/explorer-product.ts';
import { FAKE_ANSWER } from './src/fake-provider.ts';
import { gatewayOpenAI } from './src/gateway-client.ts';
import { createIngestExporter } from './src/otel-app.ts';
import { REPO_ROOT } from './src/product-process.ts';
import { exchangeIngestToken, waitForTrace } from './src/to11-api.ts';
import type { RunningProduct } from './src/topology.ts';

const SCREENSHOTS = join(REPO_ROOT, 'docs/screenshots');
const SESSION = 'sess-views-1';
const FIRST = 'What is the capital of France?';
const SECOND = 'And the capital of Italy?';
const THIRD = 'Say it in one word.';

/** What the calls made add up to, from the SDK's answers and the recorded spans. */
interface Made {
  traceIds: string[];
  sessionTraceIds: string[];
  inputTokens: number;
  outputTokens: number;
  sessionInputTokens: number;
  sessionOutputTokens: number;
  cost: number;
  sessionCost: number;
}

let product: RunningProduct;
let started: ExplorerProduct;
let browser: TestBrowser;
let explorerUrl: string;
const made: Made = {
  traceIds: [],
  sessionTraceIds: [],
  inputTokens: 0,
  outputTokens: 0,
  sessionInputTokens: 0,
  sessionOutputTokens: 0,
  cost: 0,
  sessionCost: 0,
};

async function call(
  openai: OpenAI,
  model: string,
  messages: OpenAI.ChatCompletionMessageParam[],
  sessionId: string | null,
): Promise<void> {
  const headers = sessionId === null ? {} : { 'x-to11-session-id': sessionId };
  const { data, response } = await openai.chat.completions
    .create({ model, messages }, { headers })
    .withResponse();
  expect(data.choices[0]?.message.content).toBe(FAKE_ANSWER);
  const traceId = response.headers.get('traceparent')?.split('-')[1] ?? '';
  const stored = await waitForTrace(product.httpUrl, product.apiKey, traceId, 2);
  const costs = stored.spans.map((span) => span.attributes['gen_ai.usage.cost']);
  const cost = costs.reduce<number>(
    (sum, value) => sum + (typeof value === 'number' ? value : 0),
    0,
  );
  expect(cost).toBeGreaterThan(0);
  const input = data.usage?.prompt_tokens ?? 0;
  const output = data.usage?.completion_tokens ?? 0;
  made.traceIds.push(traceId);
  made.inputTokens += input;
  made.outputTokens += output;
  made.cost += cost;
  if (sessionId !== null) {
    made.sessionTraceIds.push(traceId);
    made.sessionInputTokens += input;
    made.sessionOutputTokens += output;
    made.sessionCost += cost;
  }
}

/** Three turns of one conversation (each resending the history) and one call outside it. */
async function makeCalls(): Promise<void> {
  const openai = gatewayOpenAI(product.gatewayUrl, product.apiKey);
  const history: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: FIRST }];
  await call(openai, 'gpt-4o-mini', history, SESSION);
  history.push({ role: 'assistant', content: FAKE_ANSWER }, { role: 'user', content: SECOND });
  await call(openai, 'gpt-4o-mini', history, SESSION);
  history.push({ role: 'assistant', content: FAKE_ANSWER }, { role: 'user', content: THIRD });
  await call(openai, 'gpt-4.1-nano', history, SESSION);
  await call(openai, 'gpt-4.1-nano', [{ role: 'user', content: 'Outside any session' }], null);
}

/** A 5,000-span trace from the official OTLP/gRPC exporter: a root, 50 steps, work under them. */
async function sendBigTraceWithExporter(spanCount: number): Promise<string> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'big-agent' }),
    spanProcessors: [
      new BatchSpanProcessor(
        createIngestExporter({
          grpcUrl: product.grpcUrl,
          ingestToken: await exchangeIngestToken(product.httpUrl, product.apiKey),
        }),
        { maxQueueSize: spanCount, maxExportBatchSize: 1000, scheduledDelayMillis: 50 },
      ),
    ],
  });
  const tracer = provider.getTracer('explorer-views-e2e');
  const t0 = Date.now() - 60_000;
  const root = tracer.startSpan('agent-run', { startTime: t0 });
  const rootContext = trace.setSpan(context.active(), root);
  const steps = Array.from({ length: 50 }, (_, i) =>
    tracer.startSpan(`agent-step-${i}`, { startTime: t0 + i * 100 }, rootContext),
  );
  for (let i = 0; i < spanCount - 1 - steps.length; i++) {
    const step = steps[i % steps.length];
    if (step === undefined) continue;
    const start = t0 + (i % steps.length) * 100 + Math.floor(i / steps.length);
    const work = tracer.startSpan(
      `tool-work-${i}`,
      { startTime: start, attributes: { 'step.index': i } },
      trace.setSpan(context.active(), step),
    );
    work.end(start + 1);
  }
  for (const [i, step] of steps.entries()) step.end(t0 + i * 100 + 120);
  root.end(t0 + 6000);
  await provider.shutdown();
  return root.spanContext().traceId;
}

async function signIn(page: Page): Promise<void> {
  await page.goto(explorerUrl);
  await page.getByLabel('API key with traces:read').fill(product.apiKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('explorer sessions, dashboard and a big trace in Chromium against the all-in-one', () => {
  beforeAll(async () => {
    started = await startExplorerProduct();
    ({ product, explorerUrl, browser } = started);
    await makeCalls();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await started?.stop();
  });

  it('lists the session with its totals and shows it as one conversation', async () => {
    const page = await browser.context.newPage();
    await signIn(page);
    await page.getByRole('link', { name: 'Sessions', exact: true }).click();
    const row = page.locator(`[data-testid="session-row"][data-session-id="${SESSION}"]`);
    await row.waitFor();
    expect(await page.getByTestId('session-row').count()).toBe(1);
    const field = (name: string) => row.locator(`[data-field="${name}"]`).textContent();
    expect(await field('traces')).toBe('3');
    expect(await field('calls')).toBe('3');
    expect(await field('tokens')).toBe(
      `${formatTokens(made.sessionInputTokens)} / ${formatTokens(made.sessionOutputTokens)}`,
    );
    expect(await field('cost')).toBe(formatCost(made.sessionCost));

    await row.getByRole('link', { name: SESSION }).click();
    await expect.poll(() => page.url()).toContain(`/sessions/${SESSION}`);
    const turns = page.getByTestId('session-turn');
    await turns.first().waitFor();
    expect(
      await turns.evaluateAll((list) => list.map((t) => t.getAttribute('data-trace-id'))),
    ).toEqual(made.sessionTraceIds);
    const turnText = (index: number) => turns.nth(index).textContent();
    expect(await turnText(0)).toContain(FIRST);
    expect(await turnText(0)).toContain(FAKE_ANSWER);
    // Later turns resend the history: only the new question and the answer are shown.
    expect(await turnText(1)).toContain(SECOND);
    expect(await turnText(1)).not.toContain(FIRST);
    expect(await turnText(1)).toContain('2 earlier messages');
    expect(await turnText(2)).toContain(THIRD);
    expect(await turnText(2)).toContain('gpt-4.1-nano');
    const roles = await turns
      .nth(1)
      .getByTestId('message')
      .evaluateAll((list) => list.map((m) => m.getAttribute('data-role')));
    expect(roles).toEqual(['user', 'assistant']);
    await page.screenshot({ path: join(SCREENSHOTS, 'session.png'), fullPage: true });

    await turns
      .nth(1)
      .getByRole('link', { name: /^trace / })
      .click();
    await expect.poll(() => page.url()).toContain(`/traces/${made.sessionTraceIds[1]}`);
    await page.getByTestId('waterfall-row').first().waitFor();
    await page.close();
  });

  it('shows dashboard totals equal to the sum of the calls made, by model or provider', async () => {
    const page = await browser.context.newPage();
    await signIn(page);
    await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
    const total = (name: string) =>
      page.locator(`[data-testid="dashboard-total"][data-name="${name}"] dd`).textContent();
    await page.getByTestId('dashboard-total').first().waitFor();
    expect(await total('calls')).toBe(String(made.traceIds.length));
    expect(await total('errors')).toBe('0');
    expect(await total('inputTokens')).toBe(formatTokens(made.inputTokens));
    expect(await total('outputTokens')).toBe(formatTokens(made.outputTokens));
    // The cost is a sum of fractions of a cent: equal to the recorded costs within float
    // rounding, and shown as the API says it.
    const api = await fetch(`${product.httpUrl}/api/v1/dashboard`, {
      headers: { authorization: `Bearer ${product.apiKey}` },
    });
    const { totals } = (await api.json()) as { totals: { calls: number; cost: number } };
    console.log(`explorer-views: dashboard cost ${totals.cost}, recorded ${made.cost}`);
    expect(totals.calls).toBe(made.traceIds.length);
    expect(totals.cost).toBeCloseTo(made.cost, 12);
    expect(await total('cost')).toBe(formatCost(totals.cost));

    const charts = page.getByTestId('dashboard-chart');
    expect(await charts.count()).toBe(7);
    expect(await page.locator('[data-testid="dashboard-chart"] canvas').count()).toBe(7);
    const legend = () => charts.first().locator('.u-legend').textContent();
    expect(await legend()).toContain('gpt-4o-mini');
    expect(await legend()).toContain('gpt-4.1-nano');
    const topModels = await page
      .getByTestId('top-model')
      .evaluateAll((list) => list.map((row) => row.querySelector('td')?.textContent));
    // gpt-4o-mini costs more per token and served two of the four calls.
    expect(topModels).toEqual(['gpt-4o-mini', 'gpt-4.1-nano']);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard.png'), fullPage: true });

    await page.getByRole('button', { name: 'Provider' }).click();
    await expect.poll(() => page.url()).toContain('by=provider');
    await expect.poll(legend).toContain('openai');
    expect(await legend()).not.toContain('gpt-4o-mini');
    await page.reload();
    await page.getByTestId('dashboard-chart').first().waitFor();
    expect(await page.getByRole('button', { name: 'Provider' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    expect(await total('calls')).toBe(String(made.traceIds.length));

    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe(
      'rgb(21, 23, 27)',
    );
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 420, height: 800 });
    await expect
      .poll(() => page.evaluate('document.documentElement.scrollWidth'))
      .toBeLessThanOrEqual(420);
    await page.close();
  });

  it('paints a 5,000-span trace from the OTel exporter without freezing the page', async () => {
    const traceId = await sendBigTraceWithExporter(5000);
    await waitForTrace(product.httpUrl, product.apiKey, traceId, 5000, 30_000);
    const page = await browser.context.newPage();
    // Long tasks (main thread busy > 50 ms) from the start of every document of this page.
    // (Browser code as strings: this package has no DOM types.)
    await page.addInitScript({
      content: `window.longTasks = [];
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) window.longTasks.push(entry.duration);
        }).observe({ type: 'longtask', buffered: true });`,
    });
    await signIn(page);
    await page.getByRole('link', { name: 'Sessions', exact: true }).waitFor();
    const started = Date.now();
    await page.goto(`${explorerUrl}traces/${traceId}`);
    const rows = page.getByTestId('waterfall-row');
    await rows.first().waitFor();
    const firstPaintMs = Date.now() - started;
    const inDom = await rows.count();
    expect(inDom).toBeGreaterThan(10);
    expect(inDom).toBeLessThan(200);

    const firstNames = await rows.evaluateAll((list) => list.map((r) => r.textContent));
    await page.locator('.waterfall .scroller').evaluate((element) => {
      element.scrollTop = element.scrollHeight;
    });
    await expect
      .poll(() => rows.evaluateAll((list) => list.map((r) => r.textContent)))
      .not.toEqual(firstNames);
    expect(await rows.count()).toBeLessThan(200);
    // The page still answers: a frame comes within a second of asking for it.
    const frameMs = Number(
      await page.evaluate(`new Promise((resolve) => {
        const asked = performance.now();
        requestAnimationFrame(() => resolve(performance.now() - asked));
      })`),
    );
    expect(frameMs).toBeLessThan(1000);
    const longest = Number(await page.evaluate('Math.max(0, ...window.longTasks)'));
    // The figure the issue asks for; printed so the run's log carries it.
    console.log(
      `explorer-views: 5,000-span waterfall (OTel exporter) first rows after ${firstPaintMs} ms, ` +
        `${inDom} rows in the DOM, longest main-thread task ${Math.round(longest)} ms, ` +
        `next frame after scrolling to the end ${Math.round(frameMs)} ms`,
    );
    expect(firstPaintMs).toBeLessThan(10_000);
    await page.close();
  });
});
