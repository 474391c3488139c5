import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReadFixture, T0, writeReadFixture } from './read-fixture.ts';
import { openTestStore, storeTestEngines, type TestStore } from './testing.ts';
import type { Store, TraceListFilters } from './types.ts';

describe.each(storeTestEngines())('trace list filters on %s', (engine) => {
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

  const list = async (filters: TraceListFilters) => {
    const names = new Map(Object.entries(ids).map(([name, id]) => [id, name]));
    const { traces } = await store.spans.listTraces(projectId, filters);
    return traces.map((t) => names.get(t.traceId));
  };

  it('counts the agent call once and keeps the SPEC §9 keys without includeService', async () => {
    const { traces } = await store.spans.listTraces(projectId);
    const agent = traces.find((t) => t.traceId === ids.agent);
    expect(agent).toMatchObject({ inputTokens: 100, outputTokens: 50, cost: 0.2 });
    expect(Object.keys(agent ?? {})).not.toContain('serviceName');
  });

  it('adds the root span service with includeService', async () => {
    const { traces } = await store.spans.listTraces(projectId, { includeService: true });
    expect(traces.map((t) => t.serviceName)).toEqual(['cron', 'checkout', 'to11-gateway']);
  });

  it('matches any of several models or providers', async () => {
    expect(await list({ models: ['gpt-4o-mini', 'claude-x'] })).toEqual(['agent', 'chat']);
    expect(await list({ models: ['claude-x'] })).toEqual(['agent']);
    expect(await list({ providers: ['openai', 'nope'] })).toEqual(['chat']);
  });

  it('filters by user, environment and tool calls', async () => {
    expect(await list({ userId: 'u1' })).toEqual(['chat']);
    expect(await list({ userId: 'u2' })).toEqual(['cron']);
    expect(await list({ environment: 'prod' })).toEqual(['chat']);
    expect(await list({ environment: 'staging' })).toEqual(['agent']);
    expect(await list({ hasToolCalls: true })).toEqual(['chat']);
    expect(await list({ hasToolCalls: false })).toEqual(['cron', 'agent']);
  });

  it('bounds counted tokens, cost and duration', async () => {
    expect(await list({ minTokens: 100 })).toEqual(['agent']);
    expect(await list({ maxTokens: 15 })).toEqual(['cron', 'chat']);
    expect(await list({ minTokens: 15, maxTokens: 15 })).toEqual(['chat']);
    expect(await list({ minCost: 0.1 })).toEqual(['agent']);
    expect(await list({ maxCost: 0.05 })).toEqual(['chat']);
    expect(await list({ minDurationMs: 1000 })).toEqual(['agent']);
    expect(await list({ maxDurationMs: 100 })).toEqual(['cron', 'chat']);
  });

  it('matches attribute and resource attribute key = value pairs, all of them', async () => {
    expect(await list({ attributes: [['tenant', 'acme']] })).toEqual(['agent']);
    expect(await list({ attributes: [['service.name', 'cron']] })).toEqual(['cron']);
    expect(
      await list({
        attributes: [
          ['tenant', 'acme'],
          ['service.name', 'cron'],
        ],
      }),
    ).toEqual([]);
  });

  it('searches trace ids, span names and captured content', async () => {
    expect(await list({ q: 'banana' })).toEqual(['chat']);
    expect(await list({ q: 'AGENT R' })).toEqual(['agent']);
    expect(await list({ q: ids.cron.slice(0, 8).toUpperCase() })).toEqual(['cron']);
    expect(await list({ q: ids.agent })).toEqual(['agent']);
    expect(await list({ q: '100%' })).toEqual([]);
  });

  it('combines filters with AND', async () => {
    expect(await list({ models: ['claude-x'], userId: 'u1' })).toEqual([]);
    expect(await list({ sessionId: 's1', status: 'error' })).toEqual(['agent']);
    expect(await list({ sessionId: 's1', minTokens: 1, sinceUnixNano: T0 + 1n })).toEqual([
      'agent',
    ]);
  });

  it('pages a usage-filtered list with the cursor', async () => {
    const first = await store.spans.listTraces(projectId, { maxTokens: 15, limit: 1 });
    expect(first.traces.map((t) => t.traceId)).toEqual([ids.cron]);
    const second = await store.spans.listTraces(projectId, {
      maxTokens: 15,
      limit: 1,
      cursor: first.nextCursor ?? '',
    });
    expect(second.traces.map((t) => t.traceId)).toEqual([ids.chat]);
    expect(second.nextCursor).toBeNull();
  });

  it('shows nothing of another project', async () => {
    expect((await store.spans.listTraces('proj_other', { q: 'banana' })).traces).toEqual([]);
  });
});
