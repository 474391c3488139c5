import {
  READ_FIXTURE_T0,
  type ReadFixture,
  testEngines,
  writeReadFixture,
} from '@to11/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type Harness, startHarness } from './harness.ts';

const T0_MS = Number(READ_FIXTURE_T0 / 1_000_000n);
const RANGE = `since=${T0_MS - 3_600_000}&until=${T0_MS + 3_600_000}`;
const SPEC_KEYS = [
  'traceId',
  'rootName',
  'startTimeUnixNano',
  'durationMs',
  'spanCount',
  'status',
  'models',
  'providers',
  'inputTokens',
  'outputTokens',
  'cost',
  'sessionId',
];

describe.each(testEngines())('explorer read views over HTTP on the %s store', (engine) => {
  let harness: Harness;
  let ids: ReadFixture;
  let otherKey: string;

  beforeAll(async () => {
    harness = await startHarness(engine);
    ids = await writeReadFixture(harness.store, harness.projectId);
    const other = await harness.store.projects.create(harness.orgId, 'other');
    otherKey = await harness.createKey({ projectId: other.id, scopes: ['traces:read'] });
  });
  afterAll(() => harness?.close());

  async function get(path: string, key = harness.adminKey) {
    const response = await harness.http(path, { headers: bearer(key) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }
  async function names(query: string) {
    const byId = new Map(Object.entries(ids).map(([name, id]) => [id, name]));
    const { status, body } = await get(`/api/v1/traces?${query}`);
    expect(status, query).toBe(200);
    return (body.traces as { traceId: string }[]).map((t) => byId.get(t.traceId));
  }

  it('applies every new list filter, repeated ones as any-of', async () => {
    expect(await names('model=gpt-4o-mini&model=claude-x')).toEqual(['agent', 'chat']);
    expect(await names('provider=anthropic&provider=nope')).toEqual(['agent']);
    expect(await names('userId=u2')).toEqual(['cron']);
    expect(await names('environment=staging')).toEqual(['agent']);
    expect(await names('hasToolCalls=true')).toEqual(['chat']);
    expect(await names('minTokens=100')).toEqual(['agent']);
    expect(await names('maxCost=0.05')).toEqual(['chat']);
    expect(await names('minDurationMs=1000')).toEqual(['agent']);
    expect(await names('attr=tenant%3Dacme')).toEqual(['agent']);
    expect(await names('q=banana')).toEqual(['chat']);
    expect(await names(`q=${ids.cron.slice(0, 10)}`)).toEqual(['cron']);
    expect(await names('sessionId=s1&userId=u1&model=claude-x')).toEqual([]);
  });

  it('keeps the SPEC §9 summary keys, and adds serviceName only with include=service', async () => {
    const plain = await get('/api/v1/traces');
    for (const row of plain.body.traces as object[])
      expect(Object.keys(row).sort()).toEqual([...SPEC_KEYS].sort());
    const withService = await get('/api/v1/traces?include=service');
    expect(
      (withService.body.traces as { serviceName: string }[]).map((t) => t.serviceName),
    ).toEqual(['cron', 'checkout', 'to11-gateway']);
  });

  it('answers the facets of a range', async () => {
    const { status, body } = await get(`/api/v1/traces/facets?${RANGE}`);
    expect(status).toBe(200);
    expect(body).toEqual({
      models: ['claude-x', 'gpt-4o-mini'],
      providers: ['anthropic', 'openai'],
      services: ['checkout', 'cron', 'to11-gateway'],
      environments: ['prod', 'staging'],
    });
  });

  it('lists sessions and answers one session as its traces, oldest first', async () => {
    const { status, body } = await get(`/api/v1/sessions?${RANGE}`);
    expect(status).toBe(200);
    expect(body.nextCursor).toBeNull();
    const sessions = body.sessions as Record<string, unknown>[];
    expect(sessions.map((s) => s.sessionId)).toEqual(['s2', 's1']);
    expect(sessions[1]).toEqual({
      sessionId: 's1',
      traceCount: 2,
      callCount: 2,
      firstStartUnixNano: READ_FIXTURE_T0.toString(),
      lastStartUnixNano: (READ_FIXTURE_T0 + 1_000_000_000n).toString(),
      durationMs: 3000,
      inputTokens: 110,
      outputTokens: 55,
      cost: expect.closeTo(0.21, 9),
      models: ['claude-x', 'gpt-4o-mini'],
      errorCount: 1,
    });
    const page = await get('/api/v1/sessions?limit=1');
    const next = await get(`/api/v1/sessions?limit=1&cursor=${String(page.body.nextCursor)}`);
    expect((next.body.sessions as { sessionId: string }[]).map((s) => s.sessionId)).toEqual(['s1']);

    const one = await get('/api/v1/sessions/s1');
    expect(one.status).toBe(200);
    expect(one.body.sessionId).toBe('s1');
    const traces = one.body.traces as Record<string, unknown>[];
    expect(traces.map((t) => [t.traceId, t.serviceName])).toEqual([
      [ids.chat, 'to11-gateway'],
      [ids.agent, 'checkout'],
    ]);
    expect(Object.keys(traces[0] ?? {}).sort()).toEqual([...SPEC_KEYS, 'serviceName'].sort());
    const unknown = await get('/api/v1/sessions/nope');
    expect(unknown).toEqual({
      status: 404,
      body: { error: { code: 'not_found', message: expect.any(String) } },
    });
  });

  it('answers the dashboard, its totals equal to the list sums of the range', async () => {
    const { status, body } = await get(
      `/api/v1/dashboard?${RANGE}&groupBy=provider&bucketSeconds=60`,
    );
    expect(status).toBe(200);
    expect(body.bucketSeconds).toBe(60);
    expect(body.totals).toEqual({
      calls: 2,
      errors: 1,
      inputTokens: 110,
      outputTokens: 55,
      cost: expect.closeTo(0.21, 9),
    });
    expect((body.series as { key: string }[]).map((s) => s.key)).toEqual(['anthropic', 'openai']);
    expect((body.topModelsByCost as { model: string }[]).map((m) => m.model)).toEqual([
      'claude-x',
      'gpt-4o-mini',
    ]);
    const list = await get(`/api/v1/traces?${RANGE}`);
    const rows = list.body.traces as { outputTokens: number }[];
    expect(rows.reduce((sum, t) => sum + t.outputTokens, 0)).toBe(55);
    const auto = await get(`/api/v1/dashboard?${RANGE}`);
    expect(auto.body.bucketSeconds).toBe(300);
  });

  it('shows another project none of it: empty lists, zero totals, 404 for the session', async () => {
    expect((await get('/api/v1/traces?q=banana', otherKey)).body.traces).toEqual([]);
    expect((await get(`/api/v1/traces/facets?${RANGE}`, otherKey)).body).toEqual({
      models: [],
      providers: [],
      services: [],
      environments: [],
    });
    expect((await get('/api/v1/sessions', otherKey)).body).toEqual({
      sessions: [],
      nextCursor: null,
    });
    expect((await get('/api/v1/sessions/s1', otherKey)).status).toBe(404);
    const board = await get(`/api/v1/dashboard?${RANGE}`, otherKey);
    expect(board.body.totals).toEqual({
      calls: 0,
      errors: 0,
      inputTokens: 0,
      outputTokens: 0,
      cost: null,
    });
    expect(board.body.series).toEqual([]);
  });

  it('answers 400 bad_request naming the parameter, and 401 without a key', async () => {
    const cases: [string, string][] = [
      ['/api/v1/traces?minCost=cheap', 'minCost'],
      ['/api/v1/traces?status=ok&status=error', 'status'],
      ['/api/v1/traces?hasToolCalls=maybe', 'hasToolCalls'],
      ['/api/v1/traces?attr=novalue', 'attr'],
      ['/api/v1/traces?include=everything', 'include'],
      ['/api/v1/traces/facets?since=soon', 'since'],
      ['/api/v1/sessions?limit=0', 'limit'],
      ['/api/v1/sessions?cursor=garbage', 'cursor'],
      ['/api/v1/dashboard?groupBy=color', 'groupBy'],
      ['/api/v1/dashboard?bucketSeconds=0', 'bucketSeconds'],
      [`/api/v1/dashboard?${RANGE}&bucketSeconds=1`, 'bucketSeconds'],
      ['/api/v1/dashboard?since=2000&until=1000', 'since'],
    ];
    for (const [path, param] of cases) {
      const { status, body } = await get(path);
      expect(status, path).toBe(400);
      expect(body, path).toEqual({
        error: { code: 'bad_request', message: expect.stringContaining(param) },
      });
    }
    for (const path of [
      '/api/v1/traces/facets',
      '/api/v1/sessions',
      '/api/v1/sessions/s1',
      '/api/v1/dashboard',
    ]) {
      expect((await harness.http(path)).status, path).toBe(401);
    }
  });
});
