import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoBucketSeconds } from './dashboard.ts';
import { type ReadFixture, T0, writeReadFixture } from './read-fixture.ts';
import { openTestStore, storeTestEngines, type TestStore } from './testing.ts';
import type { Store } from './types.ts';

const MS = 1_000_000n;
const HOUR = 3_600_000n * MS;

describe.each(storeTestEngines())('facets, sessions and dashboard on %s', (engine) => {
  let handle: TestStore;
  let store: Store;
  let projectId: string;
  let ids: ReadFixture;

  beforeAll(async () => {
    handle = await openTestStore(engine);
    store = handle.store;
    const org = await store.organizations.create('o');
    projectId = (await store.projects.create(org.id, 'p')).id;
    ids = await writeReadFixture(store, projectId);
  });
  afterAll(() => handle.close());

  it('lists the distinct models, providers, services and environments of a range', async () => {
    expect(await store.spans.facets(projectId, { sinceUnixNano: T0 - HOUR })).toEqual({
      models: ['claude-x', 'gpt-4o-mini'],
      providers: ['anthropic', 'openai'],
      services: ['checkout', 'cron', 'to11-gateway'],
      environments: ['prod', 'staging'],
    });
    expect(await store.spans.facets(projectId, { sinceUnixNano: T0 + 1500n * MS })).toEqual({
      models: [],
      providers: [],
      services: ['cron'],
      environments: [],
    });
    expect((await store.spans.facets('proj_other')).models).toEqual([]);
  });

  it('groups traces into sessions, newest first, with counted totals', async () => {
    const { sessions, nextCursor } = await store.spans.listSessions(projectId);
    expect(nextCursor).toBeNull();
    expect(sessions).toEqual([
      {
        sessionId: 's2',
        traceCount: 1,
        callCount: 0,
        firstStartUnixNano: T0 + 2000n * MS,
        lastStartUnixNano: T0 + 2000n * MS,
        durationMs: 1,
        inputTokens: 0,
        outputTokens: 0,
        cost: null,
        models: [],
        errorCount: 0,
      },
      {
        sessionId: 's1',
        traceCount: 2,
        callCount: 2,
        firstStartUnixNano: T0,
        lastStartUnixNano: T0 + 1000n * MS,
        durationMs: 3000,
        inputTokens: 110,
        outputTokens: 55,
        cost: expect.closeTo(0.21, 9),
        models: ['claude-x', 'gpt-4o-mini'],
        errorCount: 1,
      },
    ]);
  });

  it('pages sessions with a cursor and bounds them by trace start', async () => {
    const first = await store.spans.listSessions(projectId, { limit: 1 });
    expect(first.sessions.map((s) => s.sessionId)).toEqual(['s2']);
    const second = await store.spans.listSessions(projectId, {
      limit: 1,
      cursor: first.nextCursor ?? '',
    });
    expect(second.sessions.map((s) => s.sessionId)).toEqual(['s1']);
    expect(second.nextCursor).toBeNull();
    const late = await store.spans.listSessions(projectId, { sinceUnixNano: T0 + 500n * MS });
    expect(late.sessions.map((s) => [s.sessionId, s.traceCount])).toEqual([
      ['s2', 1],
      ['s1', 1],
    ]);
    await expect(store.spans.listSessions(projectId, { cursor: 'nope' })).rejects.toThrow(
      /invalid cursor/,
    );
  });

  it('answers a session as its traces, oldest first, with the service', async () => {
    const traces = await store.spans.getSession(projectId, 's1');
    expect(traces.map((t) => [t.traceId, t.serviceName])).toEqual([
      [ids.chat, 'to11-gateway'],
      [ids.agent, 'checkout'],
    ]);
    expect(await store.spans.getSession(projectId, 'unknown')).toEqual([]);
    expect(await store.spans.getSession('proj_other', 's1')).toEqual([]);
  });

  it('buckets counted calls per model, with percentiles and the top models by cost', async () => {
    const range = { sinceUnixNano: T0 - HOUR, untilUnixNano: T0 + HOUR };
    const board = await store.spans.dashboard(projectId, {
      ...range,
      groupBy: 'model',
      bucketSeconds: 60,
    });
    expect(board.bucketSeconds).toBe(60);
    expect(board.totals).toEqual({
      calls: 2,
      errors: 1,
      inputTokens: 110,
      outputTokens: 55,
      cost: expect.closeTo(0.21, 9),
    });
    const bucket = Number((T0 / MS / 60_000n) * 60_000n);
    expect(board.series).toEqual([
      {
        key: 'claude-x',
        points: [
          {
            startUnixMs: bucket,
            calls: 1,
            errors: 1,
            inputTokens: 100,
            outputTokens: 50,
            cost: 0.2,
            latencyP50Ms: 1670,
            latencyP95Ms: 1670,
            ttftP50Ms: null,
            ttftP95Ms: null,
          },
        ],
      },
      {
        key: 'gpt-4o-mini',
        points: [
          expect.objectContaining({ calls: 1, errors: 0, latencyP50Ms: 90, ttftP50Ms: 200 }),
        ],
      },
    ]);
    expect(board.topModelsByCost).toEqual([
      {
        model: 'claude-x',
        provider: 'anthropic',
        calls: 1,
        cost: 0.2,
        inputTokens: 100,
        outputTokens: 50,
      },
      {
        model: 'gpt-4o-mini',
        provider: 'openai',
        calls: 1,
        cost: 0.01,
        inputTokens: 10,
        outputTokens: 5,
      },
    ]);
    // The totals are the trace list's sums for the same range.
    const { traces } = await store.spans.listTraces(projectId, range);
    expect(board.totals.inputTokens).toBe(traces.reduce((sum, t) => sum + t.inputTokens, 0));
    expect(board.totals.cost).toBeCloseTo(
      traces.reduce((sum, t) => sum + (t.cost ?? 0), 0),
      9,
    );
  });

  it('groups by provider and picks a bucket width for the range', async () => {
    const board = await store.spans.dashboard(projectId, {
      sinceUnixNano: T0 - HOUR,
      untilUnixNano: T0 + HOUR,
      groupBy: 'provider',
    });
    expect(board.bucketSeconds).toBe(300);
    expect(board.series.map((s) => s.key)).toEqual(['anthropic', 'openai']);
    expect(autoBucketSeconds(0n, 30n * 24n * HOUR)).toBe(86_400);
    expect(autoBucketSeconds(0n, HOUR)).toBe(60);
    const empty = await store.spans.dashboard('proj_other', {
      sinceUnixNano: T0 - HOUR,
      untilUnixNano: T0 + HOUR,
      groupBy: 'model',
    });
    expect(empty).toEqual({
      bucketSeconds: 300,
      totals: { calls: 0, errors: 0, inputTokens: 0, outputTokens: 0, cost: null },
      series: [],
      topModelsByCost: [],
    });
  });
});
