import { describe, expect, it } from 'vitest';
import { captureJson, TRUNCATION_MARKER, truncateUtf8 } from './content-capture.ts';

describe('truncateUtf8', () => {
  it('keeps a value that fits', () => {
    expect(truncateUtf8('hello', 5)).toBe('hello');
    expect(truncateUtf8('é'.repeat(10), 20)).toBe('é'.repeat(10));
  });

  it('cuts on a character boundary and ends with the marker, within the limit', () => {
    for (const text of ['a'.repeat(500), 'é'.repeat(500), '🙂'.repeat(500), 'a€🙂'.repeat(200)]) {
      for (const limit of [64, 65, 66, 67, 100]) {
        const cut = truncateUtf8(text, limit);
        expect(cut.endsWith(TRUNCATION_MARKER)).toBe(true);
        expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(limit);
        expect(cut).not.toContain('\uFFFD');
        expect(text.startsWith(cut.slice(0, -TRUNCATION_MARKER.length))).toBe(true);
      }
    }
  });
});

describe('captureJson', () => {
  it('serialises then truncates', () => {
    expect(captureJson([{ role: 'user' }], 1000)).toBe('[{"role":"user"}]');
    expect(captureJson({ text: 'x'.repeat(100) }, 40).endsWith(TRUNCATION_MARKER)).toBe(true);
  });
});
