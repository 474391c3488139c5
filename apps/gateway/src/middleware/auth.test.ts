import { openTestStore, type TestStore } from '@to11/store/testing';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEnv } from '../env.ts';
import { dialectForPath, errorResponse, GatewayError } from '../errors.ts';
import { authenticator } from './auth.ts';
import { testDeps } from './test-deps.ts';
import { traced } from './trace.ts';

describe('auth middleware', () => {
  let test: TestStore;
  let hono: Hono<AppEnv>;
  let projectKey = '';
  let orgId: string;
  let projectId: string;
  beforeAll(async () => {
    test = await openTestStore('pglite');
    const boot = await test.store.bootstrap({ apiKey: 'to11_test_authmiddlewaretest000000000' });
    if (boot.status !== 'created') throw new Error('expected a fresh store');
    ({ orgId, projectId } = boot);
    projectKey = boot.secret;
    const deps = testDeps(test.store);
    hono = new Hono<AppEnv>();
    hono.post(
      '/v1/whoami',
      traced(
        deps,
        (c) => c.json({ projectId: c.get('projectId') }),
        (error, c) =>
          error instanceof GatewayError
            ? errorResponse(error, dialectForPath(c.req.path))
            : c.text('bug', 500),
        authenticator(deps),
      ),
    );
  });
  afterAll(async () => {
    await test.close();
  });

  const call = (headers: Record<string, string>) =>
    hono.request('/v1/whoami', { method: 'POST', headers });

  it('binds the request to the project of a project key', async () => {
    const response = await call({ 'x-to11-authorization': `Bearer ${projectKey}` });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ projectId });
  });

  it.each([
    ['no header', {}, 'missing to11 API key'],
    [
      'a non-bearer header',
      { 'x-to11-authorization': 'Basic abc' },
      'malformed x-to11-authorization',
    ],
    [
      'a bare key',
      { 'x-to11-authorization': 'to11_test_authmiddlewaretest000000000' },
      'malformed x-to11-authorization',
    ],
    [
      'a key of the wrong form',
      { 'x-to11-authorization': 'Bearer sk-proj-123' },
      'malformed to11 API key',
    ],
    [
      'an unknown key',
      { 'x-to11-authorization': 'Bearer to11_test_unknownunknownunknown00' },
      'invalid, revoked or expired',
    ],
    [
      'the key in Authorization only',
      { authorization: `Bearer to11_test_authmiddlewaretest000000000` },
      'missing to11 API key',
    ],
  ])('answers 401 auth naming the problem for %s', async (_label, headers, message) => {
    const response = await call(headers);
    expect(response.status).toBe(401);
    expect(response.headers.get('x-to11-error-code')).toBe('auth');
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toContain(message);
  });

  it.each([
    ['no header', {}],
    ['a non-bearer header', { 'x-to11-authorization': projectKey }],
    ['an unknown key', { 'x-to11-authorization': 'Bearer to11_test_unknownunknownunknown00' }],
    [
      'the key in Authorization only',
      { authorization: `Bearer to11_test_authmiddlewaretest000000000` },
    ],
  ])('answers 401 auth for %s', async (_label, headers) => {
    const response = await call(headers);
    expect(response.status).toBe(401);
    expect(response.headers.get('x-to11-error-code')).toBe('auth');
  });

  it('answers 403 forbidden without the gateway:invoke scope or the right project', async () => {
    const reader = await test.store.keys.create({
      orgId,
      scopeClass: 'project',
      projectId,
      scopes: ['otel:write'],
    });
    expect((await call({ 'x-to11-authorization': `Bearer ${reader.secret}` })).status).toBe(403);
    const org = await test.store.keys.create({
      orgId,
      scopeClass: 'org',
      scopes: ['gateway:invoke'],
    });
    const orgHeaders = { 'x-to11-authorization': `Bearer ${org.secret}` };
    expect((await call(orgHeaders)).status).toBe(403);
    const allowed = await call({ ...orgHeaders, 'x-to11-project-id': projectId });
    expect(await allowed.json()).toEqual({ projectId });
  });
});
