/**
 * Live reload of the built gateway (`dist/main.js`), as one process and as a two-worker
 * cluster: a changed to11.toml is applied to every worker, SIGHUP reloads, an invalid file is
 * refused (logged with every problem) and the old routing keeps serving; `/metrics` shows the
 * generation and the refusals whichever worker answers.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from './src/fake-provider.ts';
import { PROVIDER_KEY } from './src/gateway-client.ts';
import { ENTRY_POINTS, type ProductProcess, spawnProduct } from './src/product-process.ts';
import { createThrowawayDatabase, type ThrowawayDatabase } from './src/throwaway-database.ts';
import { E2E_API_KEY } from './src/topology.ts';

const serverUrl = process.env.DATABASE_URL;

function routeTo(model: string): string {
  return `[targets.t]\nmodel = "${model}"\n[routes.smart]\nmodels = ["smart"]\nstrategy = "single"\ntargets = ["t"]\n`;
}

/** One call on a connection of its own, so that a cluster may hand it to any worker. */
function call(url: string, path: string, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      {
        method: body === undefined ? 'GET' : 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${PROVIDER_KEY}`,
          'x-to11-authorization': `Bearer ${E2E_API_KEY}`,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function metricValue(text: string, name: string): number {
  const line = text.split('\n').find((row) => row.startsWith(`${name} `));
  return line === undefined ? Number.NaN : Number(line.split(' ').pop());
}

async function until(check: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

describe.skipIf(serverUrl === undefined).each(['1', '2'])(
  'live reload of the built gateway with TO11_GATEWAY_WORKERS=%s',
  (workers) => {
    let fake: FakeProvider;
    let database: ThrowawayDatabase;
    let gateway: ProductProcess;
    let url = '';
    let path = '';
    const chat = () =>
      call(url, '/v1/chat/completions', JSON.stringify({ model: 'smart', messages: [] }));
    const scrape = async () => (await call(url, '/metrics')).text;
    /** The models the last `n` upstream calls asked for. */
    const lastModels = (n: number) => fake.requests.slice(-n).map((r) => r.body?.model);

    beforeAll(async () => {
      if (serverUrl === undefined) throw new Error('DATABASE_URL is not set');
      fake = await startFakeProvider();
      database = await createThrowawayDatabase(serverUrl);
      path = join(mkdtempSync(join(tmpdir(), 'to11-e2e-reload-')), 'to11.toml');
      writeFileSync(path, routeTo('gpt-4o'));
      gateway = spawnProduct('gateway', ENTRY_POINTS.gateway, {
        DATABASE_URL: database.url,
        TO11_BOOTSTRAP_API_KEY: E2E_API_KEY,
        TO11_GATEWAY_PORT: '0',
        TO11_GATEWAY_WORKERS: workers,
        TO11_OPENAI_BASE_URL: fake.baseUrl,
        TO11_CONFIG: path,
      });
      const [, listening] = await gateway.waitFor(/gateway listening on (http:\/\/\S+)/);
      url = listening ?? '';
    });

    afterAll(async () => {
      await gateway?.stop('SIGKILL');
      await database?.drop();
      await fake?.close();
    });

    it('applies a changed file in every worker, then SIGHUP reloads again', async () => {
      expect((await chat()).status).toBe(200);
      expect(lastModels(1)).toEqual(['gpt-4o']);
      writeFileSync(path, routeTo('gpt-4o-mini'));
      expect(
        await until(async () => metricValue(await scrape(), 'to11_config_generation') === 2),
        gateway.output(),
      ).toBe(true);
      for (let i = 0; i < 6; i++) expect((await chat()).status).toBe(200);
      expect(lastModels(6)).toEqual(Array(6).fill('gpt-4o-mini'));
      process.kill(gateway.pid, 'SIGHUP');
      expect(
        await until(async () => metricValue(await scrape(), 'to11_config_generation') === 3),
      ).toBe(true);
    });

    it('refuses an invalid file, logs every problem and keeps serving the old routing', async () => {
      writeFileSync(path, `${routeTo('gpt-4o')}[routes.bad]\nmodels = ["b"]\nstrategy = "rr"\n`);
      expect(
        await until(
          async () => metricValue(await scrape(), 'to11_config_reload_failures_total') >= 1,
        ),
      ).toBe(true);
      await gateway.waitFor(/configuration reload refused.*routes\.bad\.strategy/);
      expect(metricValue(await scrape(), 'to11_config_generation')).toBe(3);
      for (let i = 0; i < 4; i++) expect((await chat()).status).toBe(200);
      expect(lastModels(4)).toEqual(Array(4).fill('gpt-4o-mini'));
    });
  },
);
