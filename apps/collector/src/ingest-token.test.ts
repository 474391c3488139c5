import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createIngestTokens } from './ingest-token.ts';

const SECRET = 'test-secret-for-ingest-tokens-0123456789';

async function sign(claims: { aud?: string; iss?: string; exp?: number; scopes?: string[] }) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ scopes: claims.scopes ?? ['otel:write'] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('proj_abc')
    .setIssuer(claims.iss ?? 'to11')
    .setAudience(claims.aud ?? 'to11-collector')
    .setExpirationTime(claims.exp ?? now + 60)
    .sign(new TextEncoder().encode(SECRET));
}

describe('ingest tokens', () => {
  it('issues a 15-minute HS256 token for the project that verifies', async () => {
    const now = Date.UTC(2026, 2, 25, 17, 15, 0);
    const tokens = createIngestTokens(SECRET, () => now);
    const issued = await tokens.issue('proj_abc');
    expect(issued.expiresAt).toBe('2026-03-25T17:30:00Z');
    const [header = '', payload = ''] = issued.token.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toMatchObject({ alg: 'HS256' });
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toMatchObject({
      sub: 'proj_abc',
      aud: 'to11-collector',
      iss: 'to11',
      scopes: ['otel:write'],
      exp: now / 1000 + 900,
    });
    await expect(tokens.verify(issued.token)).resolves.toEqual({
      status: 'valid',
      projectId: 'proj_abc',
    });
  });

  it('rejects expired, forged, wrong-audience and garbage tokens as invalid', async () => {
    const tokens = createIngestTokens(SECRET);
    const expired = await sign({ exp: Math.floor(Date.now() / 1000) - 10 });
    const forged = await createIngestTokens('another-secret').issue('proj_abc');
    const wrongAudience = await sign({ aud: 'someone-else' });
    const wrongIssuer = await sign({ iss: 'evil' });
    for (const token of [expired, forged.token, wrongAudience, wrongIssuer, 'not-a-jwt']) {
      expect((await tokens.verify(token)).status).toBe('invalid');
    }
    expect(await tokens.verify(expired)).toMatchObject({ reason: 'ingest token expired' });
  });

  it('answers forbidden for a valid token without the otel:write scope', async () => {
    const tokens = createIngestTokens(SECRET);
    const token = await sign({ scopes: ['traces:read'] });
    expect(await tokens.verify(token)).toMatchObject({ status: 'forbidden' });
  });
});
