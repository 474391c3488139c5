import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidSpanId, isValidTraceId, randomSpanId, randomTraceId } from './ids.ts';

describe('random ids', () => {
  it('makes valid 32-character trace ids and 16-character span ids', () => {
    fc.assert(
      fc.property(fc.integer(), () => {
        const traceId = randomTraceId();
        const spanId = randomSpanId();
        expect(traceId).toMatch(/^[0-9a-f]{32}$/);
        expect(spanId).toMatch(/^[0-9a-f]{16}$/);
        expect(isValidTraceId(traceId)).toBe(true);
        expect(isValidSpanId(spanId)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('does not repeat itself', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => randomTraceId()));
    expect(ids.size).toBe(1000);
  });
});

describe('id validation', () => {
  it.each([
    ['all zeros', '0'.repeat(32), false],
    ['uppercase hex', '4BF92F3577B34DA6A3CE929D0E0E4736', false],
    ['31 characters', '4bf92f3577b34da6a3ce929d0e0e473', false],
    ['33 characters', '4bf92f3577b34da6a3ce929d0e0e47360', false],
    ['a non-hex character', '4bf92f3577b34da6a3ce929d0e0e473g', false],
    ['a valid id', '4bf92f3577b34da6a3ce929d0e0e4736', true],
    ['a single non-zero digit', `${'0'.repeat(31)}1`, true],
  ])('judges a trace id with %s', (_name, id, valid) => {
    expect(isValidTraceId(id)).toBe(valid);
  });

  it.each([
    ['all zeros', '0'.repeat(16), false],
    ['uppercase hex', '00F067AA0BA902B7', false],
    ['15 characters', '00f067aa0ba902b', false],
    ['17 characters', '00f067aa0ba902b71', false],
    ['a valid id', '00f067aa0ba902b7', true],
  ])('judges a span id with %s', (_name, id, valid) => {
    expect(isValidSpanId(id)).toBe(valid);
  });
});
