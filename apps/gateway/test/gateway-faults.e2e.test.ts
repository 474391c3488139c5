/**
 * Faults that are the gateway's, not the provider's: an unknown endpoint is 404 with the code
 * `bad_request`, and a key or project store that is down is 503 `overloaded` with `retry-after`
 * (both SPEC §4 codes), logged at warn.
 * None of them may answer `x-to11-error-code: upstream`.
 */
import { openTestStore, type TestStore, testEngines } from '@to11/store/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGatewayConfig, type StartedGateway, startGateway } from '../src/index.ts';
import { randomApiKey } from './harness.ts';

describe.each(testEngines())('gateway faults on %s', (engine) => {
  let test: TestStore;
  let gateway: StartedGateway;
  let apiKey: string;
  let orgKey: string;
  let projectId: string;
  const logs: string[] = [];
  beforeAll(async () => {
    test = await openTestStore(engine, { keyCacheTtlMs: 60_000 });
    apiKey = randomApiKey();
    const boot = await test.store.bootstrap({ apiKey });
    if (boot.status !== 'created') throw new Error('expected a fresh store');
    projectId = boot.projectId;
    orgKey = (
      await test.store.keys.create({
        orgId: boot.orgId,
        scopeClass: 'org',
        scopes: ['gateway:invoke'],
      })
    ).secret;
    gateway = await startGateway({
      config: loadGatewayConfig({ TO11_GATEWAY_PORT: '0' }),
      store: test.store,
      logger: pino({ level: 'info' }, { write: (line: string) => logs.push(line) }),
    });
  });
  afterAll(async () => {
    await gateway.close(1_000);
  });

  it('answers an unknown endpoint 404 bad_request in the caller envelope', async () => {
    const headers = { 'x-to11-authorization': `Bearer ${apiKey}` };
    const openai = await fetch(`${gateway.url}/v1/no/such/thing`, { method: 'POST', headers });
    expect(openai.status).toBe(404);
    expect(openai.headers.get('x-to11-error-code')).toBe('bad_request');
    expect(await openai.json()).toEqual({
      error: {
        message: 'unknown endpoint POST /v1/no/such/thing',
        type: 'invalid_request_error',
        param: null,
        code: 'bad_request',
      },
    });
    const anthropic = await fetch(`${gateway.url}/v1/messages/nope`, { method: 'POST', headers });
    expect(anthropic.status).toBe(404);
    expect(await anthropic.json()).toEqual({
      type: 'error',
      error: { type: 'not_found_error', message: 'unknown endpoint POST /v1/messages/nope' },
    });
  });

  it('answers 503 overloaded with retry-after while the store is down', async () => {
    const call = (headers: Record<string, string>) =>
      fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [] }),
      });
    const org = { 'x-to11-authorization': `Bearer ${orgKey}` };
    // The org key is verified (and cached) while the store is up; its project is not.
    const before = await call({ ...org, 'x-to11-project-id': 'proj_unknown' });
    expect(before.status).toBe(403);
    await test.close();

    const keyDown = await call({ 'x-to11-authorization': `Bearer ${randomApiKey()}` });
    expect(keyDown.status).toBe(503);
    expect(keyDown.headers.get('x-to11-error-code')).toBe('overloaded');
    expect(keyDown.headers.get('retry-after')).toBe('1');
    expect(await keyDown.json()).toMatchObject({
      error: { type: 'server_error', code: 'overloaded', message: /key store is unavailable/ },
    });

    const projectDown = await call({ ...org, 'x-to11-project-id': projectId });
    expect(projectDown.status).toBe(503);
    expect(projectDown.headers.get('x-to11-error-code')).toBe('overloaded');
    expect(projectDown.headers.get('retry-after')).toBe('1');

    const lines = logs.map((line) => JSON.parse(line)).filter((line) => line.msg === 'request');
    const failed = lines.filter((line) => line.errorCode === 'overloaded');
    expect(failed).toHaveLength(2);
    // pino's numeric levels: 30 info, 40 warn.
    expect(failed.map((line) => line.level)).toEqual([40, 40]);
    expect(lines.find((line) => line.status === 403)?.level).toBe(30);
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
  });
});
