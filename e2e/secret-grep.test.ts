/**
 * Secrets never leak (SPEC §8; issue "reliability and security"): the gateway and the collector
 * run as separate processes on Postgres with a provider key, to11 keys, an ingest token, the
 * token signing secret and a `DATABASE_URL` that carries a password (a throwaway role; the local
 * server trusts loopback, so the password is only ever in the URL). The test drives good calls
 * and bad ones (wrong keys, a provider key sent where a to11 key goes, upstream errors, bad
 * input), then greps everything the processes wrote, every row of every table, both `/metrics`,
 * every error body and the CLI's output for every secret: none is found. API keys are in the
 * store only as their SHA-256 hash.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from './src/fake-provider.ts';
import { REPO_ROOT } from './src/product-process.ts';
import { E2E_API_KEY, type RunningProduct, startSeparate } from './src/topology.ts';

const serverUrl = process.env.DATABASE_URL;
const run = promisify(execFile);

/** Where a text the test looked at came from. */
interface Seen {
  where: string;
  text: string;
}

describe.skipIf(serverUrl === undefined)('secrets in everything the product writes', () => {
  const suffix = randomBytes(6).toString('hex');
  const role = `to11_secret_${suffix}`;
  const database = `to11_secret_${suffix}`;
  const password = `pw${randomBytes(16).toString('hex')}`;
  const providerKey = `sk-provider-${randomBytes(16).toString('hex')}`;
  const tokenSecret = `tok-secret-${randomBytes(16).toString('hex')}`;
  const unknownKey = `to11_test_${randomBytes(16).toString('hex')}`;
  let admin: postgres.Sql;
  let fake: FakeProvider;
  let product: RunningProduct;
  const seen: Seen[] = [];
  const secrets: Record<string, string> = {
    'provider key': providerKey,
    'bootstrap key': E2E_API_KEY,
    'token secret': tokenSecret,
    'database password': password,
    'unknown to11 key': unknownKey,
  };

  beforeAll(async () => {
    admin = postgres(serverUrl as string, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE ROLE "${role}" LOGIN PASSWORD '${password}'`);
    await admin.unsafe(`CREATE DATABASE "${database}" OWNER "${role}"`);
    const url = new URL(serverUrl as string);
    url.username = role;
    url.password = password;
    url.pathname = `/${database}`;
    fake = await startFakeProvider();
    product = await startSeparate({
      providerBaseUrl: fake.baseUrl,
      databaseUrl: url.toString(),
      env: { TO11_TOKEN_SECRET: tokenSecret, TO11_LOG_LEVEL: 'debug' },
    });
  });
  afterAll(async () => {
    await product?.stop();
    await fake?.close();
    await admin.unsafe(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.unsafe(`DROP ROLE IF EXISTS "${role}"`);
    await admin.end();
  });

  /** A call whose answer is looked at (its body and headers); `legit` answers may carry one. */
  async function call(where: string, url: string, init: RequestInit = {}, legit = false) {
    const response = await fetch(url, init);
    const text = await response.text();
    const headers = JSON.stringify([...response.headers]);
    if (!legit) seen.push({ where: `${where} (${response.status})`, text: `${headers}\n${text}` });
    return { status: response.status, text };
  }

  const chat = (to11: string, model = 'gpt-4o', extra: Record<string, unknown> = {}) =>
    call(`gateway chat ${model}`, `${product.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-to11-authorization': to11,
        authorization: `Bearer ${providerKey}`,
      },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], ...extra }),
    });

  it('finds no secret in logs, store, metrics, error bodies or CLI output', async () => {
    const good = `Bearer ${E2E_API_KEY}`;
    // Good calls, streamed and not, both wire formats.
    expect((await chat(good)).status).toBe(200);
    expect((await chat(good, 'gpt-4o', { stream: true })).status).toBe(200);
    const messages = await call('gateway messages', `${product.gatewayUrl}/v1/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-to11-authorization': good,
        'x-api-key': providerKey,
      },
      body: JSON.stringify({
        model: 'claude-sonnet-4-6',
        max_tokens: 5,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    expect(messages.status).toBe(200);

    // A key minted through the admin API: its secret is shown once, in that answer only.
    const created = await call(
      'admin create key',
      `${product.httpUrl}/api/v1/keys`,
      {
        method: 'POST',
        headers: { authorization: good, 'content-type': 'application/json' },
        body: JSON.stringify({ scopeClass: 'org', scopes: ['otel:write', 'traces:read'] }),
      },
      true,
    );
    const orgKey = (JSON.parse(created.text) as { key: string }).key;
    secrets['minted org key'] = orgKey;

    // Bad calls: unknown key, the provider key where the to11 key goes, malformed headers,
    // models nothing serves, upstream errors, bad JSON.
    expect((await chat(`Bearer ${unknownKey}`)).status).toBe(401);
    expect((await chat(`Bearer ${providerKey}`)).status).toBe(401);
    expect((await chat(providerKey)).status).toBe(401);
    expect((await chat(`Bearer ${orgKey}`)).status).toBe(403);
    expect((await chat(good, 'no-such-model')).status).toBe(404);
    const upstreamError = await call('gateway embeddings', `${product.gatewayUrl}/v1/embeddings`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-to11-authorization': good,
        authorization: `Bearer ${providerKey}`,
      },
      body: JSON.stringify({ model: 'text-embedding-3-small', input: 'x' }),
    });
    expect(upstreamError.status).toBeGreaterThanOrEqual(400);
    await call('gateway bad json', `${product.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-to11-authorization': good },
      body: `{"model": "gpt-4o", "messages": [${providerKey}`,
    });

    // Collector: token exchange good and bad, OTLP with the token and with bad credentials,
    // read and admin API with bad keys, malformed bodies.
    const exchange = (credential: string, legit = false) =>
      call(
        'token exchange',
        `${product.httpUrl}/v1/ingest-token/exchange`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ credential }),
        },
        legit,
      );
    const token = (JSON.parse((await exchange(E2E_API_KEY, true)).text) as { token: string }).token;
    secrets['ingest token'] = token;
    expect((await exchange(providerKey)).status).toBe(401);
    expect((await exchange(unknownKey)).status).toBe(401);
    expect((await exchange(orgKey)).status).toBe(400);
    const otlp = (authorization: string, body: string) =>
      call('otlp/http', `${product.httpUrl}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body,
      });
    expect((await otlp(`Bearer ${token}`, '{"resourceSpans":[]}')).status).toBe(200);
    expect((await otlp(`Bearer ${token}x`, '{}')).status).toBe(401);
    expect((await otlp(`Bearer ${providerKey}`, '{}')).status).toBe(401);
    expect((await otlp(`Bearer ${token}`, `{"resourceSpans": ${providerKey}`)).status).toBe(400);
    const basic = Buffer.from(`proj_x:${unknownKey}`).toString('base64');
    await call('langfuse otlp', `${product.httpUrl}/api/public/otel/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${basic}` },
      body: '{}',
    });
    for (const path of ['/api/v1/traces', '/api/v1/keys', '/api/v1/projects']) {
      expect(
        (
          await call(`GET ${path}`, `${product.httpUrl}${path}`, {
            headers: { authorization: `Bearer ${unknownKey}` },
          })
        ).status,
      ).toBe(401);
      await call(`GET ${path}`, `${product.httpUrl}${path}`, {
        headers: { authorization: `Bearer ${providerKey}` },
      });
    }
    expect(
      (
        await call('read traces', `${product.httpUrl}/api/v1/traces`, {
          headers: { authorization: good },
        })
      ).status,
    ).toBe(200);
    await call('admin bad body', `${product.httpUrl}/api/v1/keys`, {
      method: 'POST',
      headers: { authorization: good, 'content-type': 'application/json' },
      body: JSON.stringify({ scopeClass: 'project', scopes: ['nope'], name: providerKey }),
    });

    // The CLI, with a good key and a bad one.
    const cli = async (args: string[]) => {
      const result = await run(process.execPath, ['apps/cli/bin/to11.js', ...args], {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? '' },
      }).catch((error: { stdout?: string; stderr?: string }) => error);
      seen.push({ where: `cli ${args[0]} ${args[1]}`, text: `${result.stdout}\n${result.stderr}` });
    };
    await cli(['keys', 'list', '--url', product.httpUrl, '--api-key', E2E_API_KEY]);
    await cli(['projects', 'list', '--url', product.httpUrl, '--api-key', E2E_API_KEY, '--json']);
    await cli(['keys', 'list', '--url', product.httpUrl, '--api-key', unknownKey]);
    await cli(['keys', 'list', '--url', product.httpUrl, '--api-key', providerKey]);

    seen.push({
      where: 'gateway /metrics',
      text: await (await fetch(`${product.gatewayUrl}/metrics`)).text(),
    });
    seen.push({
      where: 'collector /metrics',
      text: await (await fetch(`${product.httpUrl}/metrics`)).text(),
    });
    // Spans are written in batches: give the writers a moment, then read every table whole.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const dbUrl = new URL(serverUrl as string);
    dbUrl.pathname = `/${database}`;
    const sql = postgres(dbUrl.toString(), { max: 1, onnotice: () => {} });
    try {
      const tables = await sql<{ name: string }[]>`
        select format('%I.%I', schemaname, tablename) as name from pg_tables
        where schemaname not in ('pg_catalog', 'information_schema')`;
      expect(tables.length).toBeGreaterThan(3);
      for (const { name } of tables) {
        const rows = await sql.unsafe(`select row_to_json(t)::text as row from ${name} t`);
        seen.push({ where: `table ${name}`, text: rows.map((r) => String(r.row)).join('\n') });
      }
      const spans = await sql.unsafe('select count(*)::int as n from spans');
      expect(spans[0]?.n).toBeGreaterThan(0);
      // Keys are there as SHA-256 hashes, never as themselves.
      const keyTable = seen.find((s) => s.where.endsWith('api_keys'))?.text ?? '';
      expect(keyTable).toContain(createHash('sha256').update(E2E_API_KEY).digest('hex'));
      expect(keyTable).toContain(createHash('sha256').update(orgKey).digest('hex'));
    } finally {
      await sql.end();
    }
    await product.stop();
    for (const process of product.processes) {
      seen.push({ where: `${process.name} stdout/stderr`, text: process.output() });
    }

    const found: string[] = [];
    for (const [secret, value] of Object.entries(secrets)) {
      for (const { where, text } of seen)
        if (text.includes(value)) found.push(`${secret} in ${where}`);
    }
    expect(found).toEqual([]);
    // Positive control: the provider key did travel, to the provider only.
    expect(JSON.stringify(fake.requests)).toContain(providerKey);
    // The greps saw something: a log line per listener, the bootstrap key's hash, the spans.
    expect(seen.length).toBeGreaterThan(30);
    expect(
      seen.some((s) => s.where === 'gateway stdout/stderr' && s.text.includes('listening')),
    ).toBe(true);
  });
});
