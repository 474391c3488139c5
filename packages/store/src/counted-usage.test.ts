import type { SpanRecord } from '@to11/trace-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openTestStore,
  randomHex,
  spanFixture,
  storeTestEngines,
  type TestStore,
} from './testing.ts';

const usage = (input: number, output: number) => ({
  'gen_ai.usage.input_tokens': input,
  'gen_ai.usage.output_tokens': output,
});

describe.each(storeTestEngines())('tokens counted once per call on %s', (engine) => {
  let handle: TestStore;
  let projectId: string;
  beforeAll(async () => {
    handle = await openTestStore(engine);
    const org = await handle.store.organizations.create('o');
    projectId = (await handle.store.projects.create(org.id, 'p')).id;
  });
  afterAll(async () => {
    await handle.close();
  });

  /** Writes spans given as [name, parent name | null, attributes] and lists their trace. */
  async function totalsOf(spec: [string, string | null, SpanRecord['attributes']][]) {
    const traceId = randomHex(16);
    const ids = new Map(spec.map(([name]) => [name, randomHex(8)]));
    const spans = spec.map(([name, parent, attributes]) =>
      spanFixture(projectId, {
        traceId,
        name,
        spanId: ids.get(name) as string,
        parentSpanId: parent === null ? null : (ids.get(parent) ?? parent),
        attributes: { 'gen_ai.request.model': 'unpriced-model', ...attributes },
      }),
    );
    expect((await handle.store.spans.write(spans)).status).toBe('ok');
    const list = await handle.store.spans.listTraces(projectId, { limit: 500 });
    const summary = list.traces.find((trace) => trace.traceId === traceId);
    return {
      inputTokens: summary?.inputTokens,
      outputTokens: summary?.outputTokens,
      cost: summary?.cost,
    };
  }

  it('counts the innermost span of a call: the gateway span below a library wrapper', async () => {
    const totals = await totalsOf([
      ['ai.generateText', null, { 'ai.operationId': 'ai.generateText', ...usage(14, 9) }],
      ['ai.generateText.doGenerate', 'ai.generateText', usage(11, 7)],
      ['POST', 'ai.generateText.doGenerate', { 'http.request.method': 'POST' }],
      ['POST /v1/chat/completions', 'POST', { 'http.route': '/v1/chat/completions' }],
      [
        'chat gpt-4o-mini',
        'POST /v1/chat/completions',
        { ...usage(11, 7), 'gen_ai.usage.cost': 0.5 },
      ],
      // A second step of the same generateText, straight to a provider.
      ['ai.generateText.doGenerate#2', 'ai.generateText', usage(3, 2)],
    ]);
    expect(totals).toEqual({ inputTokens: 14, outputTokens: 9, cost: 0.5 });
  });

  it('counts calls side by side, and spans with usage and no parent in the trace', async () => {
    expect(
      await totalsOf([
        ['agent', null, {}],
        ['call 1', 'agent', usage(5, 1)],
        ['call 2', 'agent', usage(6, 2)],
        ['orphan', randomHex(8), usage(1, 1)],
      ]),
    ).toEqual({ inputTokens: 12, outputTokens: 4, cost: null });
  });

  it('ends on a parent cycle', async () => {
    const totals = await totalsOf([
      ['a', 'b', usage(1, 1)],
      ['b', 'a', usage(2, 2)],
      ['c', null, usage(4, 4)],
    ]);
    expect(totals.inputTokens).toBe(4);
  });
});
