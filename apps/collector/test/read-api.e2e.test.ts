import { randomBytes } from 'node:crypto';
import { testEngines } from '@to11/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type Harness, startHarness } from './harness.ts';
import { encode, request, span, str } from './otlp-requests.ts';
import { readTrace } from './read-api-client.ts';

/** Nanoseconds of 2026-03-25T17:30:00Z plus `ms` milliseconds. */
function at(ms: number): bigint {
  return 1_774_459_800_000_000_000n + BigInt(ms) * 1_000_000n;
}

function int(key: string, value: number) {
  return { key, value: { value: { case: 'intValue' as const, value: BigInt(value) } } };
}

function dbl(key: string, value: number) {
  return { key, value: { value: { case: 'doubleValue' as const, value } } };
}

describe.each(testEngines())('read API on the %s store', (engine) => {
  let harness: Harness;
  let token: string;
  /** Trace ids by role: a chat trace (gpt-4o, ok), a failed claude trace, a plain trace. */
  const traces = { chat: '', failed: '', plain: '' };

  async function ingest(spans: ReturnType<typeof span>[]) {
    const response = await harness.http('/v1/traces', {
      method: 'POST',
      headers: bearer(token, { 'content-type': 'application/x-protobuf' }),
      body: encode(request(spans)),
    });
    expect(response.status).toBe(200);
  }

  beforeAll(async () => {
    harness = await startHarness(engine);
    token = await harness.ingestToken();
    const chat = new Uint8Array(randomBytes(16));
    const failed = new Uint8Array(randomBytes(16));
    const plain = new Uint8Array(randomBytes(16));
    traces.chat = Buffer.from(chat).toString('hex');
    traces.failed = Buffer.from(failed).toString('hex');
    traces.plain = Buffer.from(plain).toString('hex');
    const chatRoot = new Uint8Array(randomBytes(8));
    await ingest([
      span(chat, {
        spanId: chatRoot,
        name: 'agent run',
        startTimeUnixNano: at(1000),
        endTimeUnixNano: at(1250),
        status: { code: 1 },
        attributes: [str('gen_ai.session.id', 'session-1')],
      }),
      span(chat, {
        parentSpanId: chatRoot,
        name: 'chat gpt-4o',
        startTimeUnixNano: at(1010),
        endTimeUnixNano: at(1200),
        attributes: [
          str('gen_ai.operation.name', 'chat'),
          str('gen_ai.provider.name', 'openai'),
          str('gen_ai.request.model', 'gpt-4o'),
          str('gen_ai.response.model', 'gpt-4o-2024-08-06'),
          int('gen_ai.usage.input_tokens', 12),
          int('gen_ai.usage.output_tokens', 30),
          dbl('gen_ai.usage.cost', 0.0015),
        ],
      }),
      span(failed, {
        name: 'chat claude-sonnet-4',
        startTimeUnixNano: at(2000),
        endTimeUnixNano: at(2100),
        status: { code: 2, message: 'overloaded' },
        attributes: [
          str('gen_ai.provider.name', 'anthropic'),
          str('gen_ai.request.model', 'claude-sonnet-4'),
        ],
      }),
      span(plain, { name: 'cron', startTimeUnixNano: at(3000), endTimeUnixNano: at(3001) }),
    ]);
  });
  afterAll(() => harness?.close());

  async function list(query: string, key = harness.adminKey, headers = {}) {
    const response = await harness.http(`/api/v1/traces${query}`, {
      headers: bearer(key, headers),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('summarizes traces newest first with the fields of SPEC §9', async () => {
    const { status, body } = await list('');
    expect(status).toBe(200);
    expect(body.nextCursor).toBeNull();
    const rows = body.traces as Record<string, unknown>[];
    expect(rows.map((row) => row.traceId)).toEqual([traces.plain, traces.failed, traces.chat]);
    expect(rows[2]).toEqual({
      traceId: traces.chat,
      rootName: 'agent run',
      startTimeUnixNano: at(1000).toString(),
      durationMs: 250,
      spanCount: 2,
      status: 'ok',
      models: expect.arrayContaining(['gpt-4o']),
      providers: ['openai'],
      inputTokens: 12,
      outputTokens: 30,
      cost: 0.0015,
      sessionId: 'session-1',
    });
    expect(rows[0]).toMatchObject({
      rootName: 'cron',
      status: 'unset',
      models: [],
      inputTokens: 0,
      outputTokens: 0,
      cost: null,
      sessionId: null,
    });
  });

  it('filters by model, provider, status, session and time, and pages with the cursor', async () => {
    const ids = async (query: string) =>
      ((await list(query)).body.traces as { traceId: string }[]).map((row) => row.traceId);
    expect(await ids('?model=gpt-4o')).toEqual([traces.chat]);
    expect(await ids('?provider=anthropic')).toEqual([traces.failed]);
    expect(await ids('?status=error')).toEqual([traces.failed]);
    expect(await ids('?sessionId=session-1')).toEqual([traces.chat]);
    expect(await ids('?since=2026-03-25T17:30:01.500Z')).toEqual([traces.plain, traces.failed]);
    const until = String(Number(at(2500) / 1_000_000n));
    expect(await ids(`?until=${until}`)).toEqual([traces.failed, traces.chat]);

    const first = await list('?limit=2');
    expect((first.body.traces as unknown[]).length).toBe(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await list(
      `?limit=2&cursor=${encodeURIComponent(String(first.body.nextCursor))}`,
    );
    expect((second.body.traces as { traceId: string }[]).map((row) => row.traceId)).toEqual([
      traces.chat,
    ]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('answers 400 to bad list parameters', async () => {
    for (const query of ['?limit=0', '?limit=501', '?status=maybe', '?since=soon', '?cursor=%%%']) {
      const { status, body } = await list(query);
      expect(status, query).toBe(400);
      expect(body).toMatchObject({ error: { code: 'bad_request' } });
    }
  });

  it('answers 404 not_found for an unknown trace and 400 for an invalid id', async () => {
    const unknown = await readTrace(harness, 'ab'.repeat(16));
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    for (const bad of ['xyz', '00000000000000000000000000000000', 'ab'.repeat(17)]) {
      expect((await readTrace(harness, bad)).status).toBe(400);
    }
  });

  it('never shows a trace to a key of another project: 404, not an empty 200', async () => {
    const other = await harness.store.projects.create(harness.orgId, 'project-b');
    const keyB = await harness.createKey({ projectId: other.id, scopes: ['traces:read'] });
    const reply = await readTrace(harness, traces.chat, keyB);
    expect(reply.status).toBe(404);
    expect(reply.body).toMatchObject({ error: { code: 'not_found' } });
    expect(((await list('', keyB)).body.traces as unknown[]).length).toBe(0);
    const withHeader = await readTrace(harness, traces.chat, keyB, {
      'x-to11-project-id': harness.projectId,
    });
    expect(withHeader.status).toBe(403);
  });

  it('lets org keys pick a project of their org with x-to11-project-id', async () => {
    const orgKey = await harness.createKey({ scopeClass: 'org', scopes: ['traces:read'] });
    expect((await readTrace(harness, traces.chat, orgKey)).status).toBe(403);
    const picked = await readTrace(harness, traces.chat, orgKey, {
      'x-to11-project-id': harness.projectId,
    });
    expect(picked.status).toBe(200);
    expect(picked.body.spans).toHaveLength(2);
    const otherOrg = await harness.store.organizations.create('elsewhere');
    const foreign = await harness.store.projects.create(otherOrg.id, 'theirs');
    const outside = await readTrace(harness, traces.chat, orgKey, {
      'x-to11-project-id': foreign.id,
    });
    expect(outside.status).toBe(403);
  });

  it('accepts x-to11-authorization and refuses missing, bad and unscoped keys', async () => {
    const viaCustom = await harness.http(`/api/v1/traces/${traces.chat}`, {
      headers: { 'x-to11-authorization': `Bearer ${harness.adminKey}` },
    });
    expect(viaCustom.status).toBe(200);
    expect((await harness.http(`/api/v1/traces/${traces.chat}`)).status).toBe(401);
    expect((await readTrace(harness, traces.chat, 'to11_test_nope')).status).toBe(401);
    const writer = await harness.createKey({ scopes: ['otel:write'] });
    const forbidden = await readTrace(harness, traces.chat, writer);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ error: { code: 'forbidden' } });
  });
});
