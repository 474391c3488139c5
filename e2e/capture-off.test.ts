/**
 * Content capture off means no prompt or answer text anywhere in the store (SPEC §5): the
 * gateway and the collector on Postgres with `TO11_CAPTURE_CONTENT=false`, calls of every
 * content-carrying kind (chat, streamed chat, messages with a system prompt, responses,
 * embeddings) with a unique prompt, then every column of every row of every table is searched
 * for the prompt, the system prompt and the provider's answer. The spans are there, with their
 * GenAI attributes (the control).
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_ANSWER, type FakeProvider, startFakeProvider } from './src/fake-provider.ts';
import { createThrowawayDatabase, type ThrowawayDatabase } from './src/throwaway-database.ts';
import { type RunningProduct, startSeparate } from './src/topology.ts';

const serverUrl = process.env.DATABASE_URL;

describe.skipIf(serverUrl === undefined)('content capture off', () => {
  const prompt = `prompt-${randomBytes(8).toString('hex')}`;
  const system = `system-${randomBytes(8).toString('hex')}`;
  let fake: FakeProvider;
  let database: ThrowawayDatabase;
  let product: RunningProduct;
  beforeAll(async () => {
    fake = await startFakeProvider();
    database = await createThrowawayDatabase(serverUrl as string);
    product = await startSeparate({
      providerBaseUrl: fake.baseUrl,
      databaseUrl: database.url,
      env: { TO11_CAPTURE_CONTENT: 'false' },
    });
  });
  afterAll(async () => {
    await product?.stop();
    await fake?.close();
    await database?.drop();
  });

  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${product.gatewayUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-to11-authorization': `Bearer ${product.apiKey}`,
        authorization: 'Bearer sk-provider',
        'x-to11-session-id': 'capture-off-session',
      },
      body: JSON.stringify(body),
    });
    await response.text();
    return response.status;
  };

  it('leaves no prompt, system prompt or answer text in any column of the store', async () => {
    const messages = [
      { role: 'system', content: system },
      { role: 'user', content: prompt },
    ];
    expect(await post('/v1/chat/completions', { model: 'gpt-4o', messages })).toBe(200);
    expect(await post('/v1/chat/completions', { model: 'gpt-4o', messages, stream: true })).toBe(
      200,
    );
    expect(
      await post('/v1/messages', {
        model: 'claude-sonnet-4-6',
        max_tokens: 5,
        system,
        messages: [{ role: 'user', content: prompt }],
      }),
    ).toBe(200);
    expect(
      await post('/v1/chat/completions', { model: 'claude-sonnet-4-6', messages, max_tokens: 5 }),
    ).toBe(200);
    await post('/v1/responses', { model: 'gpt-4o', instructions: system, input: prompt });
    await post('/v1/embeddings', { model: 'text-embedding-3-small', input: prompt });
    expect(fake.requests.some((r) => JSON.stringify(r.body).includes(prompt))).toBe(true);

    const sql = postgres(database.url, { max: 1, onnotice: () => {} });
    try {
      // Six calls, two spans each at least: wait for the writer's batches.
      for (let i = 0; i < 100; i++) {
        const [row] = await sql`select count(*)::int as n from spans where trace_id is not null`;
        if ((row?.n ?? 0) >= 12) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const tables = await sql<{ name: string }[]>`
        select format('%I.%I', schemaname, tablename) as name from pg_tables
        where schemaname not in ('pg_catalog', 'information_schema')`;
      const names = tables.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(['public.spans', 'public.trace_summaries']));
      const found: string[] = [];
      let spanText = '';
      for (const name of names) {
        const rows = await sql.unsafe(`select row_to_json(t)::text as row from ${name} t`);
        const text = rows.map((r) => String(r.row)).join('\n');
        if (name === 'public.spans') spanText = text;
        for (const [what, value] of [
          ['prompt', prompt],
          ['system prompt', system],
          ['answer', FAKE_ANSWER],
          ['answer word', 'fake provider, one word'],
        ] as const) {
          if (text.includes(value)) found.push(`${what} in ${name}`);
        }
      }
      expect(found).toEqual([]);
      // The control: the calls are on the record, without their content.
      expect(spanText).toContain('gen_ai.request.model');
      expect(spanText).toContain('capture-off-session');
      expect(spanText).not.toContain('gen_ai.input.messages');
      expect(spanText).not.toContain('gen_ai.output.messages');
    } finally {
      await sql.end();
    }
  });
});
