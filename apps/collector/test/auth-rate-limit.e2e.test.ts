/**
 * Failed authentication is rate-limited per client address on every surface of the collector
 * (OTLP/HTTP, OTLP/gRPC, token exchange, read and admin API): past the limit an address gets
 * 429 / RESOURCE_EXHAUSTED with Retry-After, even with a good key, while other addresses
 * authenticate as before; `/metrics` counts failures and refusals.
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_SERVER_SETTINGS } from '@to11/config';
import { TraceService } from '@to11/trace-core';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCollectorConfig } from '../src/config.ts';
import { type RunningCollector, startCollector } from '../src/start-collector.ts';
import { grpcExportFrom, httpFrom } from './from-address.ts';
import { type Harness, startHarness, TOKEN_SECRET } from './harness.ts';

const ATTACKER = '127.0.0.2';
const OTHER = '127.0.0.3';
const BAD_KEY = `to11_test_${'x'.repeat(32)}`;
const EXPORT_PATH = `/${TraceService.typeName}/Export`;

describe('failed authentication on the collector', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('pglite', {
      server: { ...DEFAULT_SERVER_SETTINGS, authFailureLimit: 4, authFailureWindowMs: 60_000 },
    });
  });
  afterAll(() => h?.close());

  const traces = (address: string, key: string) =>
    httpFrom(address, `${h.httpUrl}/api/v1/traces`, {
      headers: { authorization: `Bearer ${key}` },
    });

  it('refuses an address after its failures on any surface, and leaves other addresses alone', async () => {
    const otlp = await httpFrom(ATTACKER, `${h.httpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-token' },
      body: '{}',
    });
    const exchange = await httpFrom(ATTACKER, `${h.httpUrl}/v1/ingest-token/exchange`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ credential: BAD_KEY }),
    });
    const read = await traces(ATTACKER, BAD_KEY);
    const grpc = await grpcExportFrom(ATTACKER, h.grpcUrl, EXPORT_PATH, 'Bearer not-a-token');
    expect([otlp.status, exchange.status, read.status, grpc.grpcStatus]).toEqual([
      401,
      401,
      401,
      '16',
    ]);

    // The allowance is spent: even the good key is refused from this address.
    const limited = await traces(ATTACKER, h.adminKey);
    expect(limited.status).toBe(429);
    expect(limited.headers['x-to11-error-code']).toBe('rate_limit');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(limited.text)).toMatchObject({ error: { code: 'rate_limit' } });
    const limitedExchange = await httpFrom(ATTACKER, `${h.httpUrl}/v1/ingest-token/exchange`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ credential: h.adminKey }),
    });
    expect(limitedExchange.status).toBe(429);
    const limitedGrpc = await grpcExportFrom(
      ATTACKER,
      h.grpcUrl,
      EXPORT_PATH,
      `Bearer ${h.adminKey}`,
    );
    expect(limitedGrpc.grpcStatus).toBe('8');
    expect(Number(limitedGrpc.retryAfter)).toBeGreaterThanOrEqual(1);

    // Another client, same moment: authenticates as usual everywhere.
    expect((await traces(OTHER, h.adminKey)).status).toBe(200);
    const token = await httpFrom(OTHER, `${h.httpUrl}/v1/ingest-token/exchange`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ credential: h.adminKey }),
    });
    expect(token.status).toBe(200);
    const ok = await grpcExportFrom(OTHER, h.grpcUrl, EXPORT_PATH, `Bearer ${h.adminKey}`);
    expect(ok.grpcStatus).toBe('0');
    expect((await traces(OTHER, BAD_KEY)).status).toBe(401);

    const metrics = await (await h.http('/metrics')).text();
    // "not-a-token" is no JWT at all: malformed; the unknown key is invalid.
    for (const [reason, surface] of [
      ['malformed', 'otlp_http'],
      ['invalid', 'token_exchange'],
      ['malformed', 'otlp_grpc'],
    ]) {
      expect(metrics).toContain(
        `to11_auth_failures_total{reason="${reason}",surface="${surface}"} 1`,
      );
    }
    expect(metrics).toContain('to11_auth_failures_total{reason="invalid",surface="api"} 2');
    expect(metrics).toContain('to11_auth_rate_limited_total{surface="api"} 1');
    expect(metrics).toContain('to11_auth_rate_limited_total{surface="token_exchange"} 1');
    expect(metrics).toContain('to11_auth_rate_limited_total{surface="otlp_grpc"} 1');
  });

  it('does not count a missing body or a wrong scope as a failed authentication', async () => {
    const address = '127.0.0.4';
    const readOnly = await h.createKey({ scopes: ['traces:read'] });
    for (let i = 0; i < 6; i++) {
      const exchange = await httpFrom(address, `${h.httpUrl}/v1/ingest-token/exchange`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: i % 2 ? '{' : JSON.stringify({ credential: readOnly }),
      });
      expect(exchange.status).toBe(i % 2 ? 400 : 403);
    }
    expect((await traces(address, h.adminKey)).status).toBe(200);
  });
});

describe('failed authentication counted across collectors through Redis', () => {
  let h: Harness;
  let second: RunningCollector;
  const shared = {
    redis: { kind: 'single', url: 'redis://127.0.0.1:6379' } as const,
    redisKeyPrefix: `to11-test:${randomBytes(4).toString('hex')}:`,
    server: { ...DEFAULT_SERVER_SETTINGS, authFailureLimit: 3, authFailureWindowMs: 60_000 },
  };
  beforeAll(async () => {
    h = await startHarness('pglite', shared);
    second = await startCollector({
      config: {
        ...loadCollectorConfig({ TO11_COLLECTOR_GRPC_PORT: '0', TO11_COLLECTOR_HTTP_PORT: '0' }),
        ...shared,
      },
      store: h.store,
      logger: pino({ level: 'silent' }),
      tokenSecret: TOKEN_SECRET,
    });
  });
  afterAll(async () => {
    await second?.close();
    await h?.close();
  });

  it('refuses on the second collector an address that failed on the first', async () => {
    for (let i = 0; i < 3; i += 1) {
      const read = await httpFrom(ATTACKER, `${h.httpUrl}/api/v1/traces`, {
        headers: { authorization: `Bearer ${BAD_KEY}` },
      });
      expect(read.status).toBe(401);
    }
    const deadline = Date.now() + 5_000;
    let status = 0;
    while (Date.now() < deadline) {
      const read = await httpFrom(ATTACKER, `${second.httpUrl}/api/v1/traces`, {
        headers: { authorization: `Bearer ${h.adminKey}` },
      });
      status = read.status;
      if (status === 429) break;
      expect(status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(status).toBe(429);
  });
});
