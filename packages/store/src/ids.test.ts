import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base32, newApiKeySecret, newId, parseApiKeySecret } from './ids.ts';

describe('ids and secrets', () => {
  it('encodes base32 like RFC 4648, lowercase and unpadded', () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    expect(base32(bytes('f'))).toBe('my');
    expect(base32(bytes('foob'))).toBe('mzxw6yq');
    expect(base32(bytes('foobar'))).toBe('mzxw6ytboi');
  });

  it('makes distinct prefixed ids', () => {
    const ids = new Set(Array.from({ length: 100 }, () => newId('proj')));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^proj_[a-z2-7]{16}$/);
  });

  it('makes secrets of 32 base62 characters that parse back', () => {
    const secret = newApiKeySecret('live');
    expect(secret).toMatch(/^to11_live_[A-Za-z0-9]{32}$/);
    expect(parseApiKeySecret(secret)).toEqual({
      prefix: secret.slice(10, 18),
      hash: createHash('sha256').update(secret).digest('hex'),
    });
  });

  it('accepts 20 to 64 random characters and nothing else', () => {
    expect(parseApiKeySecret(`to11_test_${'a'.repeat(20)}`)).not.toBeNull();
    expect(parseApiKeySecret(`to11_test_${'a'.repeat(64)}`)).not.toBeNull();
    expect(parseApiKeySecret(`to11_test_${'a'.repeat(19)}`)).toBeNull();
    expect(parseApiKeySecret(`to11_test_${'a'.repeat(65)}`)).toBeNull();
    expect(parseApiKeySecret(`to11_prod_${'a'.repeat(32)}`)).toBeNull();
    expect(parseApiKeySecret(`to11_live_${'a'.repeat(31)}-`)).toBeNull();
  });
});
