/** Ids and API key secrets (SPEC §3). */
import { createHash, randomBytes } from 'node:crypto';
import { API_KEY_PATTERN } from '@to11/config';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Lowercase RFC 4648 base32 without padding. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** A new id such as `org_…`, `proj_…`, `key_…`: the prefix, `_`, base32 of 80 random bits. */
export function newId(prefix: 'org' | 'proj' | 'key'): string {
  return `${prefix}_${base32(randomBytes(10))}`;
}

/** `count` uniformly random base62 characters (rejection sampling, no modulo bias). */
function randomBase62(count: number): string {
  let out = '';
  while (out.length < count) {
    for (const byte of randomBytes(count * 2)) {
      if (byte < 248 && out.length < count) out += BASE62[byte % 62];
    }
  }
  return out;
}

/** A new secret `to11_<live|test>_<32 base62>`. */
export function newApiKeySecret(environment: 'live' | 'test'): string {
  return `to11_${environment}_${randomBase62(32)}`;
}

/** The stored facts of a secret, or null when it is not a to11 key. */
export function parseApiKeySecret(secret: string): { prefix: string; hash: string } | null {
  const match = API_KEY_PATTERN.exec(secret);
  const random = match?.[2];
  if (random === undefined) return null;
  return { prefix: random.slice(0, 8), hash: createHash('sha256').update(secret).digest('hex') };
}
