/**
 * Failed authentication is rate-limited per client address on the gateway: past
 * `TO11_AUTH_FAILURE_LIMIT` failures an address gets 429 `rate_limit` with Retry-After and
 * `x-to11-limit: auth_failures`, even with a good key, while other addresses call as before;
 * `/metrics` counts failures by reason and the refusals.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFrom } from '../../collector/test/from-address.ts';
import type { StartedGateway } from '../src/start-gateway.ts';
import { type Harness, PROVIDER_KEY, startHarness } from './harness.ts';

const ATTACKER = '127.0.0.2';
const OTHER = '127.0.0.3';

describe('failed authentication on the gateway', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('pglite', {
      TO11_AUTH_FAILURE_LIMIT: '3',
      TO11_AUTH_FAILURE_WINDOW_S: '60',
    });
  });
  afterAll(() => h?.close());

  const chat = (address: string, to11: string | undefined) =>
    httpFrom(address, `${h.baseURL}/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${PROVIDER_KEY}`,
        ...(to11 === undefined ? {} : { 'x-to11-authorization': to11 }),
      },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    });

  it('answers 429 with Retry-After once an address has failed too often, others unaffected', async () => {
    const failures = [
      await chat(ATTACKER, undefined),
      await chat(ATTACKER, 'Basic abc'),
      await chat(ATTACKER, `Bearer to11_test_${'z'.repeat(32)}`),
    ];
    expect(failures.map((answer) => answer.status)).toEqual([401, 401, 401]);

    const limited = await chat(ATTACKER, `Bearer ${h.apiKey}`);
    expect(limited.status).toBe(429);
    expect(limited.headers['x-to11-error-code']).toBe('rate_limit');
    expect(limited.headers['x-to11-limit']).toBe('auth_failures');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(limited.text)).toMatchObject({ error: { type: 'rate_limit_error' } });

    expect((await chat(OTHER, `Bearer ${h.apiKey}`)).status).toBe(200);
    expect((await chat(OTHER, `Bearer to11_test_${'z'.repeat(32)}`)).status).toBe(401);

    const metrics = await (await fetch(`${h.gateway.url}/metrics`)).text();
    expect(metrics).toContain('to11_auth_failures_total{reason="missing",surface="gateway"} 1');
    expect(metrics).toContain('to11_auth_failures_total{reason="malformed",surface="gateway"} 1');
    expect(metrics).toContain('to11_auth_failures_total{reason="invalid",surface="gateway"} 2');
    expect(metrics).toContain('to11_auth_rate_limited_total{surface="gateway"} 1');
  });
});

describe('failed authentication counted across gateways through Redis', () => {
  let h: Harness;
  let second: StartedGateway;
  const shared = {
    REDIS_URL: 'redis://127.0.0.1:6379',
    TO11_REDIS_KEY_PREFIX: `to11-test:${randomBytes(4).toString('hex')}:`,
    TO11_AUTH_FAILURE_LIMIT: '3',
    TO11_AUTH_FAILURE_WINDOW_S: '60',
  };
  beforeAll(async () => {
    h = await startHarness('pglite', shared);
    second = await h.startGateway();
  });
  afterAll(() => h?.close());

  const chat = (gatewayUrl: string, address: string, to11: string) =>
    httpFrom(address, `${gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${PROVIDER_KEY}`,
        'x-to11-authorization': to11,
      },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    });

  it('limits on the second gateway an address that failed on the first', async () => {
    const bad = `Bearer to11_test_${'y'.repeat(32)}`;
    for (let i = 0; i < 3; i += 1)
      expect((await chat(h.gateway.url, ATTACKER, bad)).status).toBe(401);

    // The failures reach the second gateway through pub/sub, a few milliseconds later.
    const deadline = Date.now() + 5_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await chat(second.url, ATTACKER, `Bearer ${h.apiKey}`)).status;
      if (status === 429) break;
      expect(status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(status).toBe(429);
    expect((await chat(second.url, OTHER, `Bearer ${h.apiKey}`)).status).toBe(200);

    // Each gateway counts only the failures it saw itself.
    const metrics = await (await fetch(`${second.url}/metrics`)).text();
    expect(metrics).not.toContain('to11_auth_failures_total{reason="invalid",surface="gateway"}');
    expect(metrics).toContain('to11_auth_rate_limited_total{surface="gateway"} 1');
  });
});
