import { generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
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

  it('rejects each way a token can be wrong, one claim or header at a time', async () => {
    const tokens = createIngestTokens(SECRET);
    const key = new TextEncoder().encode(SECRET);
    const now = Math.floor(Date.now() / 1000);
    const claims = { scopes: ['otel:write'] };
    const base = () =>
      new SignJWT(claims)
        .setSubject('proj_abc')
        .setIssuer('to11')
        .setAudience('to11-collector')
        .setExpirationTime(now + 60);
    const valid = await base().setProtectedHeader({ alg: 'HS256' }).sign(key);
    const [header, payload, signature] = valid.split('.') as [string, string, string];
    const otherPayload = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload, 'base64url').toString()),
        sub: 'proj_x',
      }),
    ).toString('base64url');
    const { privateKey } = await generateKeyPair('RS256');
    const cases: Record<string, string> = {
      'alg none (unsecured)': new UnsecuredJWT(claims)
        .setSubject('proj_abc')
        .setIssuer('to11')
        .setAudience('to11-collector')
        .setExpirationTime(now + 60)
        .encode(),
      'alg HS512 with the right secret': await base()
        .setProtectedHeader({ alg: 'HS512' })
        .sign(key),
      'alg RS256': await base().setProtectedHeader({ alg: 'RS256' }).sign(privateKey),
      'payload changed, signature kept': `${header}.${otherPayload}.${signature}`,
      'signature stripped': `${header}.${payload}.`,
      'no exp': await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('proj_abc')
        .setIssuer('to11')
        .setAudience('to11-collector')
        .sign(key),
      'no aud': await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('proj_abc')
        .setIssuer('to11')
        .setExpirationTime(now + 60)
        .sign(key),
      'no sub': await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('to11')
        .setAudience('to11-collector')
        .setExpirationTime(now + 60)
        .sign(key),
      'sub not a project': await base()
        .setSubject('org_abc')
        .setProtectedHeader({ alg: 'HS256' })
        .sign(key),
      'not yet valid (nbf)': await base()
        .setNotBefore(now + 600)
        .setProtectedHeader({ alg: 'HS256' })
        .sign(key),
    };
    expect((await tokens.verify(valid)).status).toBe('valid');
    for (const [name, token] of Object.entries(cases)) {
      expect({ name, status: (await tokens.verify(token)).status }).toEqual({
        name,
        status: 'invalid',
      });
    }
  });

  it('answers forbidden for a token without scopes or with scopes of the wrong type', async () => {
    const tokens = createIngestTokens(SECRET);
    const key = new TextEncoder().encode(SECRET);
    for (const scopes of [undefined, 'otel:write', ['otel:writer'], []]) {
      const token = await new SignJWT(scopes === undefined ? {} : { scopes })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('proj_abc')
        .setIssuer('to11')
        .setAudience('to11-collector')
        .setExpirationTime(Math.floor(Date.now() / 1000) + 60)
        .sign(key);
      expect(await tokens.verify(token)).toMatchObject({ status: 'forbidden' });
    }
  });
});
