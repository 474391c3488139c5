import type { SpanRecord } from '@to11/trace-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openTestStore,
  randomHex,
  spanFixture,
  storeTestEngines,
  type TestStore,
} from './testing.ts';
import type { Store } from './types.ts';

const MS = 1_000_000n;
const T0 = 1_790_000_000_000n * MS;

interface TraceSpec {
  at: bigint;
  spans: Array<Partial<SpanRecord>>;
}

describe.each(storeTestEngines())('trace list on %s', (engine) => {
  let handle: TestStore;
  let store: Store;
  let projectId: string;
  const ids: Record<string, string> = {};

  async function seed(name: string, spec: TraceSpec): Promise<void> {
    const traceId = randomHex(16);
    ids[name] = traceId;
    const spans = spec.spans.map((overrides, i) =>
      spanFixture(projectId, {
        traceId,
        startTimeUnixNano: spec.at + BigInt(i) * MS,
        endTimeUnixNano: spec.at + BigInt(i) * MS + 10n * MS,
        attributes: {},
        ...overrides,
      }),
    );
    expect((await store.spans.write(spans)).status).toBe('ok');
  }

  beforeAll(async () => {
    handle = await openTestStore(engine);
    store = handle.store;
    const org = await store.organizations.create('o');
    projectId = (await store.projects.create(org.id, 'p')).id;
    const root = { name: 'POST /v1/chat/completions', kind: 'SERVER' as const, attributes: {} };
    await seed('chat', {
      at: T0,
      spans: [
        { ...root, status: { code: 'OK' } },
        {
          parentSpanId: randomHex(8),
          attributes: {
            'gen_ai.provider.name': 'openai',
            'gen_ai.request.model': 'gpt-4o',
            'gen_ai.response.model': 'gpt-4o-2024-08-06',
            'gen_ai.usage.input_tokens': 10,
            'gen_ai.usage.output_tokens': 5,
            'gen_ai.usage.cost': 0.5,
            'gen_ai.session.id': 'sess-1',
          },
        },
        {
          parentSpanId: randomHex(8),
          attributes: {
            'gen_ai.provider.name': 'anthropic',
            'gen_ai.request.model': 'claude-x',
            'gen_ai.usage.input_tokens': 1,
            'gen_ai.usage.cost': 0.25,
          },
        },
      ],
    });
    await seed('failed', {
      at: T0 + 1000n * MS,
      spans: [{ ...root, status: { code: 'ERROR', message: 'boom' } }, { status: { code: 'OK' } }],
    });
    await seed('plain', {
      at: T0 + 2000n * MS,
      spans: [{ name: 'no-root-a', parentSpanId: randomHex(8), attributes: {} }],
    });
    // A trace whose root started before `since` but whose child starts after: not in the window.
    await seed('straddle', {
      at: T0 - 5000n * MS,
      spans: [
        { name: 'early-root', attributes: {} },
        { startTimeUnixNano: T0 + 500n * MS, attributes: {} },
      ],
    });
  });
  afterAll(() => handle.close());

  it('summarizes a trace over all of its spans', async () => {
    const { traces } = await store.spans.listTraces(projectId, {
      sinceUnixNano: T0,
      untilUnixNano: T0,
    });
    expect(traces).toEqual([
      {
        traceId: ids.chat,
        rootName: 'POST /v1/chat/completions',
        startTimeUnixNano: T0,
        durationMs: 12,
        spanCount: 3,
        status: 'ok',
        models: ['claude-x', 'gpt-4o', 'gpt-4o-2024-08-06'],
        providers: ['anthropic', 'openai'],
        inputTokens: 11,
        outputTokens: 5,
        cost: 0.75,
        sessionId: 'sess-1',
      },
    ]);
  });

  it('filters by the service.name of any span', async () => {
    const all = await store.spans.listTraces(projectId);
    const gateway = await store.spans.listTraces(projectId, { service: 'to11-gateway' });
    expect(gateway.traces.map((t) => t.traceId)).toEqual(all.traces.map((t) => t.traceId));
    expect((await store.spans.listTraces(projectId, { service: 'checkout' })).traces).toEqual([]);
  });

  it('lists newest first, with zero tokens, null cost and unset status when nothing says so', async () => {
    const { traces, nextCursor } = await store.spans.listTraces(projectId);
    expect(traces.map((t) => t.traceId)).toEqual([ids.plain, ids.failed, ids.chat, ids.straddle]);
    expect(nextCursor).toBeNull();
    const plain = traces[0];
    expect(plain).toMatchObject({
      rootName: 'no-root-a',
      status: 'unset',
      inputTokens: 0,
      outputTokens: 0,
      cost: null,
      models: [],
      providers: [],
      sessionId: null,
    });
    expect(traces[1]?.status).toBe('error');
  });

  it('bounds the trace start with since and until, whatever the later spans do', async () => {
    const since = await store.spans.listTraces(projectId, { sinceUnixNano: T0 });
    expect(since.traces.map((t) => t.traceId)).toEqual([ids.plain, ids.failed, ids.chat]);
    const until = await store.spans.listTraces(projectId, { untilUnixNano: T0 + 1000n * MS });
    expect(until.traces.map((t) => t.traceId)).toEqual([ids.failed, ids.chat, ids.straddle]);
    expect(until.traces.find((t) => t.traceId === ids.straddle)?.spanCount).toBe(2);
  });

  it('filters by model (request or response), provider, status and session', async () => {
    const list = async (filters: object) =>
      (await store.spans.listTraces(projectId, filters)).traces.map((t) => t.traceId);
    expect(await list({ models: ['gpt-4o'] })).toEqual([ids.chat]);
    expect(await list({ models: ['gpt-4o-2024-08-06'] })).toEqual([ids.chat]);
    expect(await list({ models: ['nope'] })).toEqual([]);
    expect(await list({ providers: ['anthropic'] })).toEqual([ids.chat]);
    expect(await list({ status: 'error' })).toEqual([ids.failed]);
    expect(await list({ status: 'ok' })).toEqual([ids.chat]);
    expect(await list({ sessionId: 'sess-1' })).toEqual([ids.chat]);
  });

  it('pages with an opaque cursor until nextCursor is null', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await store.spans.listTraces(projectId, {
        limit: 1,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...result.traces.map((t) => t.traceId));
      if (result.nextCursor === null) break;
      cursor = result.nextCursor;
    }
    expect(seen).toEqual([ids.plain, ids.failed, ids.chat, ids.straddle]);
  });

  it('rejects a cursor it did not make and a limit below one', async () => {
    await expect(store.spans.listTraces(projectId, { cursor: 'garbage' })).rejects.toThrow(
      /invalid cursor/,
    );
    await expect(store.spans.listTraces(projectId, { limit: 0 })).rejects.toThrow(/limit/);
  });

  it('shows nothing of another project', async () => {
    expect((await store.spans.listTraces('proj_other')).traces).toEqual([]);
  });
});
