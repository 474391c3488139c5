/**
 * The trace explorer in a real browser (Debian's Chromium through playwright-core) against the
 * all-in-one: traces made through the gateway by the OpenAI SDK, under an app span sent by the
 * OTel exporter, are found in the list, filtered, opened and read as a conversation; a key of
 * another project sees none of it. Saves the screenshots in docs/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SpanStatusCode } from '@opentelemetry/api';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendBigTrace } from './src/big-trace.ts';
import type { TestBrowser } from './src/browser.ts';
import { type ExplorerProduct, startExplorerProduct } from './src/explorer-product.ts';
import { FAKE_USAGE } from './src/fake-openai.ts';
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
const MODEL_C = 'claude-haiku-4-5';
/** Tokens of one call: the fake provider's fixed usage. */
const CALL_TOKENS = FAKE_USAGE.input + FAKE_USAGE.output;
/** USD of one claude-haiku-4-5 call at its list price ($1 / $5 per million tokens). */
const CLAUDE_CALL_COST = (FAKE_USAGE.input * 1 + FAKE_USAGE.output * 5) / 1e6;
/** Polls wait for the list's round trip (and live mode's 3 s poll). */
const POLL = { timeout: 10_000, interval: 100 };

let product: RunningProduct;
let started: ExplorerProduct;
let browser: TestBrowser;
let explorerUrl: string;
/** The traces the filters tell apart (see makeTraces). */
const ids = { app: '', bare: '', agent: '', claude: '', batch: '' };

/**
 * Five traces that differ in every filter:
 * - app: app span `answer-question` (service explorer-e2e-app, tenant=acme) → gateway call to
 *   gpt-4o-mini in session sess-explorer-1, user user-alice, environment staging;
 * - bare: a gateway call to gpt-4.1-nano, nothing else;
 * - agent: `run-agent` (service explorer-e2e-agent, tenant=globex) with a failed
 *   `execute_tool get_weather` span and two gpt-4o-mini calls (twice the tokens), session
 *   sess-explorer-2, user user-bob, environment production;
 * - claude: a claude-haiku-4-5 call (provider anthropic, the priciest), user user-alice;
 * - batch: an app-only `nightly-batch` span that started 2 hours ago and ran 5 s (no tokens).
 */
async function makeTraces(): Promise<void> {
  const { gatewayUrl, grpcUrl, httpUrl, apiKey } = product;
  const ingestToken = await exchangeIngestToken(httpUrl, apiKey);
  const appProvider = createAppTracerProvider({
    grpcUrl,
    ingestToken,
    serviceName: 'explorer-e2e-app',
  });
  const agentProvider = createAppTracerProvider({
    grpcUrl,
    ingestToken,
    serviceName: 'explorer-e2e-agent',
  });
  const openai = gatewayOpenAI(gatewayUrl, apiKey);
  const appTracer = appProvider.getTracer('explorer-e2e');
  ids.app = await appTracer.startActiveSpan(
    'answer-question',
    { attributes: { tenant: 'acme' } },
    async (span) => {
      try {
        const answer = await openai.chat.completions.create(
          { model: MODEL_A, messages: [{ role: 'user', content: PROMPT }] },
          {
            headers: {
              ...traceHeaders(),
              'x-to11-session-id': 'sess-explorer-1',
              'x-to11-user-id': 'user-alice',
              'x-to11-env': 'staging',
            },
          },
        );
        expect(answer.choices[0]?.message.content).toBe(FAKE_ANSWER);
        return span.spanContext().traceId;
      } finally {
        span.end();
      }
    },
  );
  const bare = await openai.chat.completions
    .create({ model: MODEL_B, messages: [{ role: 'user', content: 'Second call' }] })
    .withResponse();
  ids.bare = bare.response.headers.get('traceparent')?.split('-')[1] ?? '';
  const agentTracer = agentProvider.getTracer('explorer-e2e-agent');
  ids.agent = await agentTracer.startActiveSpan(
    'run-agent',
    { attributes: { tenant: 'globex' } },
    async (span) => {
      try {
        const headers = {
          'x-to11-session-id': 'sess-explorer-2',
          'x-to11-user-id': 'user-bob',
          'x-to11-env': 'production',
        };
        const ask = (content: string) =>
          openai.chat.completions.create(
            { model: MODEL_A, messages: [{ role: 'user', content }] },
            { headers: { ...traceHeaders(), ...headers } },
          );
        await ask('What is the weather in Paris?');
        agentTracer.startActiveSpan(
          'execute_tool get_weather',
          {
            attributes: {
              'gen_ai.operation.name': 'execute_tool',
              'gen_ai.tool.name': 'get_weather',
            },
          },
          (tool) => {
            tool.setStatus({ code: SpanStatusCode.ERROR, message: 'weather service down' });
            tool.end();
          },
        );
        await ask('The weather tool failed; answer anyway.');
        return span.spanContext().traceId;
      } finally {
        span.end();
      }
    },
  );
  const claude = await openai.chat.completions
    .create(
      { model: MODEL_C, messages: [{ role: 'user', content: 'Third call' }] },
      { headers: { 'x-to11-user-id': 'user-alice' } },
    )
    .withResponse();
  ids.claude = claude.response.headers.get('traceparent')?.split('-')[1] ?? '';
  const batchStart = Date.now() - 2 * 3_600_000;
  const batch = appTracer.startSpan('nightly-batch', { startTime: batchStart });
  batch.end(batchStart + 5000);
  ids.batch = batch.spanContext().traceId;
  await Promise.all([appProvider.shutdown(), agentProvider.shutdown()]);
  await Promise.all([
    waitForTrace(httpUrl, apiKey, ids.app, 3),
    waitForTrace(httpUrl, apiKey, ids.bare, 2),
    waitForTrace(httpUrl, apiKey, ids.agent, 6),
    waitForTrace(httpUrl, apiKey, ids.claude, 2),
    waitForTrace(httpUrl, apiKey, ids.batch, 1),
  ]);
}

async function signIn(page: Page, key: string): Promise<void> {
  await page.getByLabel('API key with traces:read').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const rows = (page: Page) => page.getByTestId('trace-row');

/** The trace ids the list shows, sorted. */
async function shownIds(page: Page): Promise<string[]> {
  const shown = await rows(page).evaluateAll((elements) =>
    elements.map((element) => element.getAttribute('data-trace-id') ?? ''),
  );
  return shown.sort();
}

/** Waits until the URL carries `urlPart` and the list shows exactly `expected`. */
async function expectList(page: Page, urlPart: string, expected: string[]): Promise<void> {
  await expect
    .poll(() => decodeURIComponent(page.url().replaceAll('+', ' ')), POLL)
    .toContain(urlPart);
  await expect.poll(() => shownIds(page), POLL).toEqual([...expected].sort());
}

/** Types into a filter field and applies it with Enter. */
async function typeFilter(page: Page, label: string, value: string): Promise<void> {
  const field = page.getByLabel(label);
  await field.fill(value);
  await field.press('Enter');
}

/** Opens a multi-select and sets exactly `values` checked, then closes it. */
async function pick(page: Page, label: string, values: string[]): Promise<void> {
  await page.locator(`summary[aria-label^="${label}:"]`).click();
  const group = page.getByRole('group', { name: label, exact: true });
  for (const box of await group.getByRole('checkbox').all()) {
    const name = (await box.locator('..').textContent()) ?? '';
    await box.setChecked(values.includes(name));
  }
  await page.getByRole('heading', { name: 'Traces' }).click();
}

const filterForm = (page: Page) => page.getByRole('form', { name: 'Trace filters' });

async function clearFilters(page: Page): Promise<void> {
  await filterForm(page).getByRole('button', { name: 'Clear filters' }).click();
  await expect.poll(() => new URL(page.url()).search, POLL).toBe('');
}

/** A time as the browser's `datetime-local` value (the browser's time zone). */
function localInput(page: Page, ms: number): Promise<string> {
  return page.evaluate((at) => {
    const date = new Date(at);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(
      date.getHours(),
    )}:${pad(date.getMinutes())}`;
  }, ms);
}

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

  it('refuses a wrong key, then lists and opens the traces with the right one', async () => {
    const page = await browser.context.newPage();
    await page.goto(explorerUrl);
    await signIn(page, 'to11_test_notARealKey0123456789abcdef');
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('wrong, expired or revoked');

    await signIn(page, product.apiKey);
    await rows(page).first().waitFor();
    await expect.poll(() => shownIds(page), POLL).toEqual(Object.values(ids).sort());
    expect(await rows(page).first().getAttribute('data-trace-id')).toBe(ids.claude);
    expect(await rows(page).last().getAttribute('data-trace-id')).toBe(ids.batch);
    expect(await page.evaluate('sessionStorage.getItem("to11.apiKey")')).toBe(product.apiKey);
    expect(page.url()).not.toContain(product.apiKey);

    await typeFilter(page, 'Session', 'sess-explorer-1');
    await expectList(page, 'session=sess-explorer-1', [ids.app]);

    await rows(page).first().click();
    await expect.poll(() => page.url()).toContain(`/traces/${ids.app}`);
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

  it('narrows the list by each filter, keeps them in the URL and restores them on reload', async () => {
    const page = await browser.context.newPage();
    await page.goto(explorerUrl);
    await signIn(page, product.apiKey);
    await expect.poll(() => shownIds(page), POLL).toHaveLength(5);
    const all = Object.values(ids);
    const serviceOf = (traceId: string) =>
      page.locator(`[data-trace-id="${traceId}"] [data-testid="trace-service"]`).textContent();
    expect(await serviceOf(ids.agent)).toBe('explorer-e2e-agent');
    expect(await serviceOf(ids.bare)).toBe('to11-gateway');

    // The pickers offer what the range holds (GET /api/v1/traces/facets).
    await page.locator('summary[aria-label^="Model:"]').click();
    const modelBoxes = page.getByRole('group', { name: 'Model', exact: true }).locator('label');
    await expect
      .poll(() => modelBoxes.allTextContents(), POLL)
      .toEqual([MODEL_C, MODEL_B, MODEL_A]);
    await page.getByRole('heading', { name: 'Traces' }).click();
    const serviceOptions = await page.getByLabel('Service').locator('option').allTextContents();
    expect(serviceOptions).toEqual([
      'Any',
      'explorer-e2e-agent',
      'explorer-e2e-app',
      'to11-gateway',
    ]);

    await page.getByLabel('Status').selectOption('error');
    await expectList(page, 'status=error', [ids.agent]);
    await page.getByLabel('Status').selectOption('ok');
    await expectList(page, 'status=ok', [ids.app, ids.bare, ids.claude]);
    await page.getByLabel('Status').selectOption('all');

    await pick(page, 'Provider', ['anthropic']);
    await expectList(page, 'provider=anthropic', [ids.claude]);
    await pick(page, 'Provider', ['openai']);
    await expectList(page, 'provider=openai', [ids.app, ids.bare, ids.agent]);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'trace-list.png') });
    await pick(page, 'Provider', []);

    await pick(page, 'Model', [MODEL_B, MODEL_C]);
    await expectList(page, `model=${MODEL_C}&model=${MODEL_B}`, [ids.bare, ids.claude]);
    await pick(page, 'Model', []);

    await page.getByLabel('Service').selectOption('explorer-e2e-agent');
    await expectList(page, 'service=explorer-e2e-agent', [ids.agent]);
    await page.getByLabel('Service').selectOption('');
    await page.getByLabel('Environment').selectOption('staging');
    await expectList(page, 'env=staging', [ids.app]);
    await page.getByLabel('Environment').selectOption('');

    await page.getByLabel('Tool calls').selectOption('with');
    await expectList(page, 'tools=with', [ids.agent]);
    await page.getByLabel('Tool calls').selectOption('without');
    await expectList(page, 'tools=without', [ids.app, ids.bare, ids.claude, ids.batch]);
    await page.getByLabel('Tool calls').selectOption('any');

    await typeFilter(page, 'Min tokens', String(CALL_TOKENS + 1));
    await expectList(page, `minTokens=${CALL_TOKENS + 1}`, [ids.agent]);
    await typeFilter(page, 'Min tokens', '');
    await typeFilter(page, 'Max tokens', '0');
    await expectList(page, 'maxTokens=0', [ids.batch]);
    await typeFilter(page, 'Max tokens', '');
    await typeFilter(page, 'Min cost (USD)', (CLAUDE_CALL_COST / 2).toFixed(8));
    await expectList(page, 'minCost=', [ids.claude]);
    await typeFilter(page, 'Min cost (USD)', '');
    await typeFilter(page, 'Min duration (ms)', '4000');
    await expectList(page, 'minMs=4000', [ids.batch]);
    await typeFilter(page, 'Min duration (ms)', '');
    await typeFilter(page, 'Session', 'sess-explorer-2');
    await expectList(page, 'session=sess-explorer-2', [ids.agent]);
    await typeFilter(page, 'Session', '');
    await typeFilter(page, 'User', 'user-alice');
    await expectList(page, 'user=user-alice', [ids.app, ids.claude]);
    await typeFilter(page, 'User', '');

    // Attribute chips: each added one narrows (AND); removing one widens again.
    await page.getByLabel('Attribute key').fill('tenant');
    await page.getByLabel('Attribute value').fill('acme');
    await page.getByLabel('Attribute value').press('Enter');
    await expectList(page, 'attr=tenant=acme', [ids.app]);
    await page.getByLabel('Attribute key').fill('tenant');
    await page.getByLabel('Attribute value').fill('globex');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => shownIds(page), POLL).toEqual([]);
    await page.getByText('No traces match these filters').waitFor();
    await page.getByRole('button', { name: 'Remove tenant = acme' }).click();
    await expectList(page, 'attr=tenant=globex', [ids.agent]);
    await page.getByRole('button', { name: 'Remove tenant = globex' }).click();

    // Search: a trace id prefix, then text inside a captured prompt.
    await typeFilter(page, 'Search', ids.bare.slice(0, 8));
    await expectList(page, `q=${ids.bare.slice(0, 8)}`, [ids.bare]);
    await typeFilter(page, 'Search', 'capital of france');
    await expectList(page, 'q=capital of france', [ids.app]);
    await typeFilter(page, 'Search', 'no trace says this');
    await page.getByText('No traces match these filters').waitFor();
    await page.getByTestId('no-match').getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => shownIds(page), POLL).toEqual([...all].sort());

    // The time window: a preset, then an absolute end and start.
    await page.getByLabel('Time range').selectOption('1h');
    await expectList(page, 'range=1h', [ids.app, ids.bare, ids.agent, ids.claude]);
    await page.getByLabel('Time range').selectOption('8h');
    await page.locator('input[name="to"]').fill(await localInput(page, Date.now() - 3_600_000));
    await expectList(page, 'to=', [ids.batch]);
    await page
      .locator('input[name="from"]')
      .fill(await localInput(page, Date.now() - 3 * 3_600_000));
    await expectList(page, 'from=', [ids.batch]);
    expect(await page.getByLabel('Time range').isDisabled()).toBe(true);
    await page.goto(explorerUrl);

    // Invalid input is shown where it was typed and not applied.
    await expect.poll(() => shownIds(page), POLL).toHaveLength(5);
    await typeFilter(page, 'Min tokens', 'many');
    await page.getByText('Must be a whole number ≥ 0').waitFor();
    await page.getByLabel('Min tokens').fill('50');
    await typeFilter(page, 'Max tokens', '5');
    await page.getByText('Max is below min').waitFor();
    expect(await filterForm(page).getByRole('button', { name: 'Apply' }).isDisabled()).toBe(true);
    expect(page.url()).not.toContain('Tokens');
    expect(await shownIds(page)).toHaveLength(5);
    await page.getByLabel('Min tokens').fill('');
    await typeFilter(page, 'Max tokens', '');

    // A hand-edited link with a bad value: marked in the bar, and the list is not asked for.
    await page.goto(`${explorerUrl}?minCost=cheap`);
    await page.getByText('Some filters are not valid').waitFor();
    expect(await page.getByLabel('Min cost (USD)').inputValue()).toBe('cheap');
    await page.getByText('Must be a number ≥ 0').waitFor();
    expect(await rows(page).count()).toBe(0);
    await page.goto(explorerUrl);
    await expect.poll(() => shownIds(page), POLL).toHaveLength(5);

    // Several filters at once (AND), then a reload restores the list and the controls.
    await pick(page, 'Model', [MODEL_A]);
    await expectList(page, `model=${MODEL_A}`, [ids.app, ids.agent]);
    await typeFilter(page, 'User', 'user-bob');
    await expectList(page, 'user=user-bob', [ids.agent]);
    await page.getByLabel('Tool calls').selectOption('with');
    await expectList(page, 'tools=with', [ids.agent]);
    expect(new URL(page.url()).search).toBe(`?model=${MODEL_A}&tools=with&user=user-bob`);
    await page.reload();
    await expect.poll(() => shownIds(page), POLL).toEqual([ids.agent]);
    expect(await page.getByLabel('User').inputValue()).toBe('user-bob');
    expect(await page.getByLabel('Tool calls').inputValue()).toBe('with');
    expect(await page.locator('summary[aria-label^="Model:"]').textContent()).toBe(MODEL_A);
    await page.locator('summary[aria-label^="Model:"]').click();
    const modelGroup = page.getByRole('group', { name: 'Model', exact: true });
    expect(await modelGroup.getByLabel(MODEL_A).isChecked()).toBe(true);
    expect(await modelGroup.getByLabel(MODEL_B).isChecked()).toBe(false);
    await clearFilters(page);
    await expect.poll(() => shownIds(page), POLL).toEqual([...all].sort());

    // Live mode shows a new trace without a reload.
    await page.getByLabel('Live').check();
    const live = await gatewayOpenAI(product.gatewayUrl, product.apiKey)
      .chat.completions.create({ model: MODEL_B, messages: [{ role: 'user', content: 'Live' }] })
      .withResponse();
    const liveId = live.response.headers.get('traceparent')?.split('-')[1] ?? '';
    await expect.poll(() => rows(page).first().getAttribute('data-trace-id'), POLL).toBe(liveId);
    await page.getByLabel('Live').uncheck();

    // Cursor paging: 45 more app traces make 51, one more than a page.
    const bulkProvider = createAppTracerProvider({
      grpcUrl: product.grpcUrl,
      ingestToken: await exchangeIngestToken(product.httpUrl, product.apiKey),
      serviceName: 'explorer-e2e-bulk',
    });
    const bulkTracer = bulkProvider.getTracer('explorer-e2e-bulk');
    const bulkIds: string[] = [];
    for (let index = 0; index < 45; index += 1) {
      const span = bulkTracer.startSpan(`bulk-${index}`);
      span.end();
      bulkIds.push(span.spanContext().traceId);
    }
    await bulkProvider.shutdown();
    await waitForTrace(product.httpUrl, product.apiKey, bulkIds.at(-1) ?? '', 1);
    await page.getByRole('button', { name: 'Refresh' }).click();
    const paging = page.locator('.paging');
    await expect.poll(() => paging.textContent(), POLL).toContain('50 traces');
    await page.getByRole('button', { name: 'Load older traces' }).click();
    await expect.poll(() => paging.textContent(), POLL).toBe('51 traces');

    // A narrow window: the filters wrap and the list still shows.
    await page.setViewportSize({ width: 420, height: 800 });
    await rows(page).first().waitFor();
    // Every filter control stays inside the window (the table scrolls sideways on its own).
    const overflowing = await page.evaluate(
      `[...document.querySelectorAll('.filters input, .filters select, .filters summary')]
        .filter((control) => control.getBoundingClientRect().right > window.innerWidth)
        .map((control) => control.getAttribute('name') ?? control.tagName)`,
    );
    expect(overflowing).toEqual([]);
    // Dark mode follows the system: the filter controls take the dark page colours.
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(
      await page.evaluate(
        `getComputedStyle(document.querySelector('input[name="q"]')).backgroundColor`,
      ),
    ).toBe('rgb(21, 23, 27)');
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
    await page.goto(`${explorerUrl}traces/${ids.app}`);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('404 not_found');
    await page.close();
  });
});
