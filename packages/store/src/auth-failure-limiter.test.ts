import { describe, expect, it } from 'vitest';
import { AuthFailureLimiter } from './auth-failure-limiter.ts';

function limiter(limit = 3, windowMs = 60_000, maxAddresses?: number) {
  const clock = { now: 1_000_000 };
  const made = new AuthFailureLimiter({
    limit,
    windowMs,
    now: () => clock.now,
    ...(maxAddresses === undefined ? {} : { maxAddresses }),
  });
  return { limiter: made, clock };
}

describe('AuthFailureLimiter', () => {
  it('refuses an address once it has spent its failures, with the seconds until one refills', () => {
    const { limiter: l } = limiter(3, 60_000);
    for (let i = 0; i < 3; i++) {
      expect(l.refuse('10.0.0.1', 'gateway')).toBe(0);
      l.fail('10.0.0.1', 'gateway', 'invalid');
    }
    // 3 per 60 s: one failure refills in 20 s.
    expect(l.refuse('10.0.0.1', 'gateway')).toBe(20);
    expect(l.limited).toBe(1);
  });

  it('leaves other addresses alone', () => {
    const { limiter: l } = limiter(2);
    l.fail('10.0.0.1', 'api', 'invalid');
    l.fail('10.0.0.1', 'api', 'invalid');
    expect(l.refuse('10.0.0.1', 'api')).toBeGreaterThan(0);
    expect(l.refuse('10.0.0.2', 'api')).toBe(0);
  });

  it('lets the address try again once a failure has refilled', () => {
    const { limiter: l, clock } = limiter(2, 10_000);
    l.fail('a', 'api', 'missing');
    l.fail('a', 'api', 'missing');
    expect(l.refuse('a', 'api')).toBe(5);
    clock.now += 5_000;
    expect(l.refuse('a', 'api')).toBe(0);
    l.fail('a', 'api', 'missing');
    expect(l.refuse('a', 'api')).toBeGreaterThan(0);
  });

  it('counts failures by reason and surface and refusals by surface in its metric families', () => {
    const { limiter: l } = limiter(1);
    l.fail('a', 'otlp_grpc', 'invalid');
    l.fail('b', 'otlp_http', 'missing');
    l.refuse('a', 'otlp_grpc');
    const [failures, limited] = l.metricFamilies();
    expect(failures?.name).toBe('to11_auth_failures_total');
    expect(failures?.series).toEqual([
      { labels: { reason: 'invalid', surface: 'otlp_grpc' }, value: 1 },
      { labels: { reason: 'missing', surface: 'otlp_http' }, value: 1 },
    ]);
    expect(limited).toMatchObject({
      name: 'to11_auth_rate_limited_total',
      series: [{ labels: { surface: 'otlp_grpc' }, value: 1 }],
    });
    expect(l.failures('invalid', 'otlp_grpc')).toBe(1);
  });

  it('counts but never refuses with a limit of 0', () => {
    const { limiter: l } = limiter(0);
    for (let i = 0; i < 100; i++) l.fail('a', 'gateway', 'invalid');
    expect(l.refuse('a', 'gateway')).toBe(0);
    expect(l.failures('invalid', 'gateway')).toBe(100);
  });

  it('tracks at most maxAddresses addresses, forgetting the oldest first', () => {
    const { limiter: l } = limiter(1, 60_000, 2);
    l.fail('a', 'api', 'invalid');
    l.fail('b', 'api', 'invalid');
    l.fail('c', 'api', 'invalid');
    expect(l.refuse('a', 'api')).toBe(0);
    expect(l.refuse('b', 'api')).toBeGreaterThan(0);
    expect(l.refuse('c', 'api')).toBeGreaterThan(0);
  });
});
