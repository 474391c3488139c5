/** Span records for tests, valid by default (`@to11/store/testing`). */
import { randomBytes } from 'node:crypto';
import type { SpanRecord } from '@to11/trace-core';

/** Random lowercase hex of `bytes` bytes (never all zeros in practice). */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** A deterministic pseudo random in [0, 1) (xorshift32): the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
}

/** A root CLIENT chat span of `projectId` starting now; `overrides` replace any field. */
export function spanFixture(projectId: string, overrides: Partial<SpanRecord> = {}): SpanRecord {
  const start = BigInt(Date.now()) * 1_000_000n;
  return {
    projectId,
    traceId: randomHex(16),
    spanId: randomHex(8),
    parentSpanId: null,
    name: 'chat gpt-4o',
    kind: 'CLIENT',
    startTimeUnixNano: start,
    endTimeUnixNano: start + 250_000_000n,
    status: { code: 'UNSET' },
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
    },
    resource: { attributes: { 'project.id': projectId, 'service.name': 'to11-gateway' } },
    events: [],
    links: [],
    source: 'gateway',
    ...overrides,
  };
}
