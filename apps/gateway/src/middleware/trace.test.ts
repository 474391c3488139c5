import type { Store } from '@to11/store';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../env.ts';
import { testDeps } from './test-deps.ts';
import { traced } from './trace.ts';

const NO_STORE = {} as Store;

function app() {
  const deps = testDeps(NO_STORE);
  const hono = new Hono<AppEnv>();
  const renderError = () => new Response('bug', { status: 500 });
  hono.post(
    '/v1/ok',
    traced(
      deps,
      (c) => {
        c.get('trace').projectId = 'proj_test';
        return c.json({ ok: true });
      },
      renderError,
    ),
  );
  hono.post(
    '/v1/anonymous',
    traced(deps, (c) => c.json({ error: 'no' }, 401), renderError),
  );
  return { hono, deps };
}

describe('trace middleware', () => {
  it('returns traceparent naming the HTTP span and a request id on every answer', async () => {
    const { hono, deps } = app();
    const response = await hono.request('/v1/ok', {
      method: 'POST',
      headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    });
    const http = deps.spans[0]?.[0];
    expect(response.headers.get('traceparent')).toBe(
      `00-4bf92f3577b34da6a3ce929d0e0e4736-${http?.spanId}-01`,
    );
    expect(response.headers.get('x-to11-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    expect(http).toMatchObject({
      name: 'POST /v1/ok',
      kind: 'SERVER',
      parentSpanId: '00f067aa0ba902b7',
    });
    expect(http?.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.response.status_code': 200,
      'gateway.request.id': response.headers.get('x-to11-request-id'),
    });
  });

  it('answers unauthenticated requests with trace headers but stores nothing', async () => {
    const { hono, deps } = app();
    const response = await hono.request('/v1/anonymous', { method: 'POST' });
    expect(response.status).toBe(401);
    expect(response.headers.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(response.headers.get('x-to11-request-id')).toMatch(/^req_/);
    expect(deps.spans).toEqual([[]]);
  });

  it('logs one line per request with its ids and never its headers', async () => {
    const { hono, deps } = app();
    const response = await hono.request('/v1/ok', {
      method: 'POST',
      headers: {
        authorization: 'Bearer sk-secret-value',
        'x-to11-authorization': 'Bearer to11_test_secret',
      },
    });
    expect(deps.logs).toHaveLength(1);
    const line = JSON.parse(deps.logs[0] ?? '{}');
    expect(line).toMatchObject({
      method: 'POST',
      path: '/v1/ok',
      status: 200,
      requestId: response.headers.get('x-to11-request-id'),
    });
    expect(deps.logs[0]).not.toContain('secret');
    expect(deps.inFlight.count).toBe(0);
  });
});
