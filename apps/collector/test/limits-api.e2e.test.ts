/**
 * The limits admin API (SPEC §10): `GET|PUT /api/v1/limits?projectId=` and
 * `GET|PUT /api/v1/keys/{id}/limits`, admin scope, bound to the key's organization; without
 * REDIS_URL the usage is null (counters live in each gateway process).
 */
import { testEngines } from '@to11/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCall, type Harness, startHarness } from './harness.ts';

describe.each(testEngines())('limits admin API on the %s store', (engine) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(engine);
  });
  afterAll(() => harness?.close());

  const call = (method: string, path: string, body?: unknown, key?: string) =>
    adminCall(harness, method, path, body, key);

  it('sets, merges and clears the limits of a project', async () => {
    const path = `/api/v1/limits?projectId=${harness.projectId}`;
    const none = {
      requests_per_minute: null,
      tokens_per_minute: null,
      usd_per_day: null,
      usd_per_month: null,
    };
    expect(await (await call('GET', path)).json()).toEqual({
      subject: { kind: 'project', id: harness.projectId },
      limits: none,
      usage: null,
    });
    const set = await call('PUT', path, { requests_per_minute: 60, usd_per_day: 2.5 });
    expect(set.status).toBe(200);
    expect(((await set.json()) as { limits: unknown }).limits).toEqual({
      ...none,
      requests_per_minute: 60,
      usd_per_day: 2.5,
    });
    // A field left out keeps its value, null clears one.
    await call('PUT', path, { usd_per_day: null, tokens_per_minute: 1000 });
    expect(((await (await call('GET', path)).json()) as { limits: unknown }).limits).toEqual({
      ...none,
      requests_per_minute: 60,
      tokens_per_minute: 1000,
    });
    expect((await harness.store.limits.get([harness.projectId])).get(harness.projectId)).toEqual({
      ...none,
      requests_per_minute: 60,
      tokens_per_minute: 1000,
    });
  });

  it('sets the limits of a key by id or prefix', async () => {
    const secret = await harness.createKey({
      scopes: ['gateway:invoke'],
      projectId: harness.projectId,
    });
    const [key] = (await harness.store.keys.list(harness.orgId)).filter((k) =>
      secret.includes(k.prefix),
    );
    const put = await call('PUT', `/api/v1/keys/${key?.prefix}/limits`, { usd_per_month: 10 });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({
      subject: { kind: 'key', id: key?.id },
      limits: { usd_per_month: 10 },
    });
  });

  it('names the problem of an invalid body, and refuses other organizations and non-admin keys', async () => {
    const path = `/api/v1/limits?projectId=${harness.projectId}`;
    for (const [body, message] of [
      [{ requests_per_minute: 1.5 }, /^requests_per_minute: must be a whole number/],
      [{ usd_per_day: -1 }, /^usd_per_day: must be above 0/],
      [{ requests: 5 }, /unknown field/],
    ] as const) {
      const response = await call('PUT', path, body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        error: { code: 'bad_request', message: expect.stringMatching(message) },
      });
    }
    expect((await call('GET', '/api/v1/limits')).status).toBe(400);
    const other = await harness.store.organizations.create('other');
    const foreign = await harness.store.projects.create(other.id, 'theirs');
    expect((await call('GET', `/api/v1/limits?projectId=${foreign.id}`)).status).toBe(404);
    expect(
      (await call('PUT', '/api/v1/keys/key_nosuchkey/limits', { requests_per_minute: 1 })).status,
    ).toBe(404);
    const reader = await harness.createKey({
      scopes: ['traces:read'],
      projectId: harness.projectId,
    });
    expect((await call('GET', path, undefined, reader)).status).toBe(403);
  });
});
