/**
 * The gateway as a cluster (`TO11_GATEWAY_WORKERS=2`, Postgres): the built `dist/main.js` forks
 * two workers that share the port. Calls spread over both, every call's spans reach the store,
 * a scrape of `/metrics` shows the sum of both workers whichever one answers it, a worker that
 * dies is replaced, and SIGTERM drains both and exits 0.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from './src/fake-provider.ts';
import { gatewayOpenAI, PROVIDER_KEY } from './src/gateway-client.ts';
import { ENTRY_POINTS, type ProductProcess, spawnProduct } from './src/product-process.ts';
import { createThrowawayDatabase, type ThrowawayDatabase } from './src/throwaway-database.ts';
import { E2E_API_KEY } from './src/topology.ts';

const serverUrl = process.env.DATABASE_URL;
const MODEL = 'gpt-4o-mini';

/** The PIDs of the cluster's workers: the children of the primary. */
function workerPids(primary: number): number[] {
  const text = readFileSync(`/proc/${primary}/task/${primary}/children`, 'utf8').trim();
  return text === '' ? [] : text.split(/\s+/).map(Number);
}

/** One call on a connection of its own (`agent: false`), so the cluster may hand it to any worker. */
function callOnNewConnection(
  gatewayUrl: string,
  path: string,
  init: {
    method: 'GET' | 'POST';
    headers?: Record<string, string>;
    body?: string;
    localAddress?: string;
  },
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${gatewayUrl}${path}`, { ...init, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

function chat(gatewayUrl: string, traceId: string, key = E2E_API_KEY, localAddress?: string) {
  return callOnNewConnection(gatewayUrl, '/v1/chat/completions', {
    method: 'POST',
    ...(localAddress === undefined ? {} : { localAddress }),
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${PROVIDER_KEY}`,
      'x-to11-authorization': `Bearer ${key}`,
      traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
    },
    body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] }),
  });
}

/** The value of the successful chat operations' duration count in a `/metrics` document. */
function chatCount(metrics: string): number {
  const line = metrics
    .split('\n')
    .find(
      (row) =>
        row.startsWith('gen_ai_client_operation_duration_seconds_count{') &&
        row.includes('gen_ai_operation_name="chat"') &&
        !row.includes('error_type'),
    );
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

/** Polls `read` every 100 ms until `done` holds or 15 s passed; returns the last value. */
async function until<T>(read: () => Promise<T> | T, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(serverUrl === undefined)(
  serverUrl === undefined
    ? 'gateway cluster (skipped: DATABASE_URL is not set)'
    : 'gateway cluster: TO11_GATEWAY_WORKERS=2 on Postgres',
  () => {
    let fake: FakeProvider;
    let database: ThrowawayDatabase;
    let gateway: ProductProcess;
    let gatewayUrl = '';

    beforeAll(async () => {
      if (serverUrl === undefined) throw new Error('DATABASE_URL is not set');
      fake = await startFakeProvider();
      database = await createThrowawayDatabase(serverUrl);
      gateway = spawnProduct('gateway', ENTRY_POINTS.gateway, {
        DATABASE_URL: database.url,
        TO11_BOOTSTRAP_API_KEY: E2E_API_KEY,
        TO11_GATEWAY_PORT: '0',
        TO11_GATEWAY_WORKERS: '2',
        TO11_OPENAI_BASE_URL: fake.baseUrl,
        TO11_AUTH_FAILURE_LIMIT: '4',
      });
      const [, url] = await gateway.waitFor(/gateway listening on (http:\/\/\S+) \(2 workers\)/);
      gatewayUrl = url ?? '';
    });

    afterAll(async () => {
      await gateway?.stop('SIGKILL');
      await database?.drop();
      await fake?.close();
    });

    it('spreads calls over both workers, stores every span and sums both workers in /metrics', async () => {
      const workers = workerPids(gateway.pid);
      expect(workers).toHaveLength(2);
      const traceId = randomBytes(16).toString('hex');
      const calls = 20;
      for (let i = 0; i < calls; i++) expect((await chat(gatewayUrl, traceId)).status).toBe(200);
      // One more through the OpenAI SDK, as users call it.
      const sdk = await gatewayOpenAI(gatewayUrl, E2E_API_KEY).chat.completions.create(
        { model: MODEL, messages: [{ role: 'user', content: 'Hi' }] },
        { headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } },
      );
      expect(sdk.choices[0]?.message.content).toBeTruthy();

      // Each worker logs its own access lines, with its PID.
      const servedBy = new Set(
        gateway
          .output()
          .split('\n')
          .filter((line) => line.includes(traceId))
          .map((line) => (JSON.parse(line) as { pid?: number }).pid),
      );
      expect([...servedBy].sort()).toEqual([...workers].sort());

      // Every scrape, on a new connection each, shows the calls of both workers.
      for (let i = 0; i < 4; i++) {
        const scrape = await callOnNewConnection(gatewayUrl, '/metrics', { method: 'GET' });
        expect(scrape.status).toBe(200);
        expect(chatCount(scrape.text), scrape.text).toBe(calls + 1);
      }

      const sql = postgres(database.url, { max: 1, onnotice: () => {} });
      try {
        const stored = await until(
          async () =>
            Number(
              (await sql`select count(*)::int as n from spans where trace_id = ${traceId}`)[0]?.n,
            ),
          (n) => n >= 2 * (calls + 1),
        );
        expect(stored, 'an HTTP span and a GenAI span per call').toBe(2 * (calls + 1));
      } finally {
        await sql.end();
      }
    });

    it('limits failed authentications per address across both workers', async () => {
      // From an address of its own, so the other tests' calls are not limited.
      const attacker = '127.0.0.2';
      const traceId = randomBytes(16).toString('hex');
      const bad = `to11_test_${'q'.repeat(32)}`;
      // Four failures on new connections: the cluster spreads them over both workers, so
      // neither worker alone has seen the limit.
      for (let i = 0; i < 4; i++)
        expect((await chat(gatewayUrl, traceId, bad, attacker)).status).toBe(401);
      // The failures reach the other worker through the primary: soon every call is refused.
      const first = await until(
        async () => (await chat(gatewayUrl, traceId, E2E_API_KEY, attacker)).status,
        (status) => status === 429,
      );
      expect(first).toBe(429);
      for (let i = 0; i < 6; i++)
        expect((await chat(gatewayUrl, traceId, E2E_API_KEY, attacker)).status).toBe(429);
      expect((await chat(gatewayUrl, traceId)).status).toBe(200);
    });

    it('replaces a worker that dies and keeps serving', async () => {
      const [victim, survivor] = workerPids(gateway.pid);
      if (victim === undefined || survivor === undefined) throw new Error('expected two workers');
      process.kill(victim, 'SIGKILL');
      const replaced = await until(
        () => workerPids(gateway.pid),
        (pids) => pids.length === 2 && !pids.includes(victim),
      );
      expect(replaced).toContain(survivor);
      expect(replaced).toHaveLength(2);
      await gateway.waitFor(/"msg":"gateway worker exited unexpectedly; starting a new one"/);
      // Wait until the new worker serves too, then every call on a new connection succeeds.
      const [newcomer] = replaced.filter((pid) => pid !== survivor);
      const traceId = randomBytes(16).toString('hex');
      const newcomerServes = await until(
        async () => {
          await chat(gatewayUrl, traceId);
          return gateway.output().includes(`"pid":${newcomer}`);
        },
        (served) => served,
      );
      expect(newcomerServes, 'the new worker answers calls').toBe(true);
      for (let i = 0; i < 6; i++) expect((await chat(gatewayUrl, traceId)).status).toBe(200);
    });

    it('drains both workers on SIGTERM and exits 0', async () => {
      const workers = workerPids(gateway.pid);
      expect(await gateway.stop('SIGTERM'), gateway.output()).toEqual({ code: 0, signal: null });
      for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
    });
  },
);
