/**
 * The trace explorer in a real browser (Debian's Chromium through playwright-core) against the
 * all-in-one: traces made through the gateway by the OpenAI SDK, under an app span sent by the
 * OTel exporter, are found in the list, filtered, opened and read as a conversation; a key of
 * another project sees none of it. Saves the screenshots in docs/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendBigTrace } from './src/big-trace.ts';
import type { TestBrowser } from './src/browser.ts';
import { type ExplorerProduct, startExplorerProduct } from './src/explorer-product.ts';
import { FAKE_ANSWER } from './src/fake-provider.ts';
import { gatewayOpenAI } from './src/gateway-client.ts';
import { createAppTracerProvider, traceHeaders } from './src/otel-app.ts';
import { REPO_ROOT } from './src/product-process.ts';
import { createProjectKey } from './src/to11-admin.ts';
import { exchangeIngestToken, waitForTrace } from './src/to11-api.ts';
import type { RunningProduct } from './src/topology.ts';

const SCREENSHOTS = join(REPO_ROOT, 'docs/screenshots');
const PROMPT = 'What is the capital of France?';
const MODEL_A = 'gpt-4o-mini';
const MODEL_B = 'gpt-4.1-nano';

let product: RunningProduct;
let started: ExplorerProduct;
let browser: TestBrowser;
let explorerUrl: string;
let appTraceId: string;
let otherTraceId: string;

/** One app trace (app span → gateway HTTP span → GenAI span) and one bare gateway call. */
async function makeTraces(): Promise<void> {
  const { gatewayUrl, grpcUrl, httpUrl, apiKey } = product;
  const tracerProvider = createAppTracerProvider({
    grpcUrl,
    ingestToken: await exchangeIngestToken(httpUrl, apiKey),
    serviceName: 'explorer-e2e-app',
  });
  const openai = gatewayOpenAI(gatewayUrl, apiKey);
  appTraceId = await tracerProvider
    .getTracer('explorer-e2e')
    .startActiveSpan('answer-question', async (span) => {
      try {
        const answer = await openai.chat.completions.create(
          { model: MODEL_A, messages: [{ role: 'user', content: PROMPT }] },
          { headers: { ...traceHeaders(), 'x-to11-session-id': 'sess-explorer-1' } },
        );
        expect(answer.choices[0]?.message.content).toBe(FAKE_ANSWER);
        return span.spanContext().traceId;
      } finally {
        span.end();
      }
    });
  await tracerProvider.shutdown();
  const bare = await openai.chat.completions
    .create({ model: MODEL_B, messages: [{ role: 'user', content: 'Second call' }] })
    .withResponse();
  otherTraceId = bare.response.headers.get('traceparent')?.split('-')[1] ?? '';
  await waitForTrace(httpUrl, apiKey, appTraceId, 3);
  await waitForTrace(httpUrl, apiKey, otherTraceId, 2);
}

async function signIn(page: Page, key: string): Promise<void> {
  await page.getByLabel('API key with traces:read').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const rows = (page: Page) => page.getByTestId('trace-row');

describe('trace explorer in Chromium against the all-in-one', () => {
  beforeAll(async () => {
    started = await startExplorerProduct();
    ({ product, explorerUrl, browser } = started);
    await makeTraces();
  });

  afterAll(async () => {
    await started?.stop();
  });

  it('prints the explorer URL on the collector listener and serves the app there', async () => {
    expect(explorerUrl).toBe(`${product.httpUrl}/`);
    const index = await fetch(explorerUrl, { headers: { accept: 'text/html' } });
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(await index.text())?.[1];
    const script = await fetch(`${product.httpUrl}${asset}`);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('refuses a wrong key, then lists, filters, reloads and opens the traces with the right one', async () => {
    const page = await browser.context.newPage();
    await page.goto(explorerUrl);
    await signIn(page, 'to11_test_notARealKey0123456789abcdef');
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('wrong, expired or revoked');

    await signIn(page, product.apiKey);
    await rows(page).first().waitFor();
    await expect.poll(() => rows(page).count()).toBe(2);
    expect(await rows(page).first().getAttribute('data-trace-id')).toBe(otherTraceId);
    expect(await page.evaluate('sessionStorage.getItem("to11.apiKey")')).toBe(product.apiKey);
    expect(page.url()).not.toContain(product.apiKey);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'trace-list.png') });

    await page.getByLabel('Model').fill(MODEL_A);
    await page.getByLabel('Model').press('Enter');
    await expect.poll(() => page.url()).toContain(`model=${MODEL_A}`);
    await expect.poll(() => rows(page).count()).toBe(1);
    await page.reload();
    await rows(page).first().waitFor();
    expect(await page.getByLabel('Model').inputValue()).toBe(MODEL_A);
    expect(await rows(page).count()).toBe(1);
    expect(await rows(page).first().getAttribute('data-trace-id')).toBe(appTraceId);

    await page.getByLabel('Model').fill('');
    await page.getByLabel('Session').fill('sess-explorer-1');
    await page.getByLabel('Session').press('Enter');
    await expect.poll(() => page.url()).toContain('session=sess-explorer-1');
    await expect.poll(() => rows(page).count()).toBe(1);

    await rows(page).first().click();
    await expect.poll(() => page.url()).toContain(`/traces/${appTraceId}`);
    const waterfall = page.getByTestId('waterfall-row');
    await waterfall.first().waitFor();
    const outline = await waterfall.evaluateAll((elements) =>
      elements.map((element) => [
        element.getAttribute('data-depth'),
        element.getAttribute('data-category'),
        element.querySelector('.span-link')?.textContent,
      ]),
    );
    expect(outline).toEqual([
      ['0', 'app', 'answer-question'],
      ['1', 'gateway', 'POST /v1/chat/completions'],
      ['2', 'genai', `chat ${MODEL_A}`],
    ]);
    await page.getByRole('button', { name: `chat ${MODEL_A}` }).click();
    const conversation = page.getByRole('region', { name: 'Conversation' });
    await expect.poll(() => conversation.textContent()).toContain(PROMPT);
    expect(await conversation.textContent()).toContain(FAKE_ANSWER);
    const roles = await page
      .getByTestId('message')
      .evaluateAll((elements) => elements.map((element) => element.getAttribute('data-role')));
    expect(roles).toEqual(['user', 'assistant']);
    await page.screenshot({ path: join(SCREENSHOTS, 'trace-detail.png') });
    const background = () => page.evaluate('getComputedStyle(document.body).backgroundColor');
    expect(await background()).toBe('rgb(255, 255, 255)');
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await background()).toBe('rgb(21, 23, 27)');
    await page.screenshot({ path: join(SCREENSHOTS, 'trace-detail-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });

    await page.getByRole('button', { name: 'Collapse answer-question' }).click();
    await expect.poll(() => waterfall.count()).toBe(1);
    await page.close();
  });

  it('renders a 5,000-span trace with only the visible rows in the page', async () => {
    const { httpUrl, apiKey } = product;
    const traceId = await sendBigTrace(httpUrl, await exchangeIngestToken(httpUrl, apiKey), 5000);
    await waitForTrace(httpUrl, apiKey, traceId, 5000, 30_000);
    const page = await browser.context.newPage();
    await page.goto(explorerUrl);
    await signIn(page, apiKey);
    await rows(page).first().waitFor();
    const started = Date.now();
    await page.goto(`${explorerUrl}traces/${traceId}`);
    const waterfall = page.getByTestId('waterfall-row');
    await waterfall.first().waitFor();
    const firstPaintMs = Date.now() - started;
    const inPage = await waterfall.count();
    // The number the issue asks for; printed so a run's log carries it.
    console.log(
      `explorer: 5,000-span waterfall first rows after ${firstPaintMs} ms, ${inPage} rows in the DOM`,
    );
    expect(await page.getByText('Spans').locator('..').textContent()).toContain('5000');
    expect(inPage).toBeGreaterThan(10);
    expect(inPage).toBeLessThan(200);
    expect(firstPaintMs).toBeLessThan(10_000);
    await page.close();
  });

  it('shows a key of another project none of these traces', async () => {
    const other = await createProjectKey(product.httpUrl, product.apiKey, 'explorer-other', [
      'traces:read',
    ]);
    const page = await browser.context.newPage();
    await page.goto(explorerUrl);
    await page.evaluate('sessionStorage.clear()');
    await page.reload();
    await signIn(page, other.key);
    await page.getByText('No traces in this time range yet').waitFor();
    expect(await rows(page).count()).toBe(0);
    await page.goto(`${explorerUrl}traces/${appTraceId}`);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('404 not_found');
    await page.close();
  });
});
