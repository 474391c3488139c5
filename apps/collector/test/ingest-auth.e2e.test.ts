import { Code, ConnectError } from '@connectrpc/connect';
import { testEngines } from '@to11/store/testing';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, TOKEN_SECRET } from './harness.ts';
import { EXPORTER_KINDS, exportOnce } from './otel-exporters.ts';
import { encode, grpcClient, ids, request, span } from './otlp-requests.ts';
import { buildSpanFixture } from './span-fixture.ts';

interface Claims {
  secret?: string;
  aud?: string;
  expiresIn?: number;
  scopes?: string[];
}

/** Signs a token the way the collector does, with one claim changed. */
function forge(projectId: string, claims: Claims = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ scopes: claims.scopes ?? ['otel:write'] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('to11')
    .setAudience(claims.aud ?? 'to11-collector')
    .setSubject(projectId)
    .setIssuedAt(now - 1000)
    .setExpirationTime(now + (claims.expiresIn ?? 900))
    .sign(new TextEncoder().encode(claims.secret ?? TOKEN_SECRET));
}

describe.each(testEngines())('ingest auth on the %s store', (engine) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(engine);
  });
  afterAll(() => harness?.close());

  function exchange(body: unknown) {
    return harness.http('/v1/ingest-token/exchange', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  describe('POST /v1/ingest-token/exchange', () => {
    it('trades a project key for a 15-minute token of its project', async () => {
      const response = await exchange({ credential: harness.adminKey });
      expect(response.status).toBe(200);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toEqual({
        token: expect.stringMatching(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/),
        projectId: harness.projectId,
        scopeClass: 'project',
        scopes: ['otel:write'],
        expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      });
      const minutes = (Date.parse(String(body.expiresAt)) - Date.now()) / 60_000;
      expect(minutes).toBeGreaterThan(14);
      expect(minutes).toBeLessThanOrEqual(15);
      const own = await exchange({
        credential: harness.adminKey,
        requestedProjectId: harness.projectId,
      });
      expect(own.status).toBe(200);
    });

    it('needs requestedProjectId for an org key and binds the token to it', async () => {
      const orgKey = await harness.createKey({ scopeClass: 'org', scopes: ['otel:write'] });
      const missing = await exchange({ credential: orgKey });
      expect(missing.status).toBe(400);
      expect(await missing.json()).toMatchObject({
        error: { code: 'bad_request', message: expect.stringMatching(/requestedProjectId/) },
      });
      const project = await harness.store.projects.create(harness.orgId, 'second');
      const ok = await exchange({ credential: orgKey, requestedProjectId: project.id });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ projectId: project.id, scopeClass: 'org' });
    });

    it('refuses projects the key is not authorised for with 403', async () => {
      const otherOrg = await harness.store.organizations.create('other');
      const foreign = await harness.store.projects.create(otherOrg.id, 'foreign');
      const sibling = await harness.store.projects.create(harness.orgId, 'sibling');
      const orgKey = await harness.createKey({ scopeClass: 'org', scopes: ['otel:write'] });
      const projectKey = await harness.createKey({ scopes: ['otel:write'] });
      const cases = [
        { credential: orgKey, requestedProjectId: foreign.id },
        { credential: orgKey, requestedProjectId: 'proj_doesnotexist0000000000' },
        { credential: projectKey, requestedProjectId: sibling.id },
      ];
      for (const body of cases) {
        const response = await exchange(body);
        expect(response.status).toBe(403);
        expect(await response.json()).toMatchObject({ error: { code: 'forbidden' } });
      }
    });

    it('answers 401 to unknown, malformed and revoked keys without echoing them', async () => {
      const revoked = await harness.createKey({ scopes: ['otel:write'] });
      const prefix = (await harness.store.keys.list(harness.orgId)).find((k) =>
        revoked.includes(k.prefix),
      );
      expect(prefix).toBeDefined();
      await harness.store.keys.revoke(harness.orgId, prefix?.id ?? '');
      for (const credential of [`to11_test_${'x'.repeat(32)}`, 'not-a-key', revoked]) {
        const response = await exchange({ credential });
        expect(response.status).toBe(401);
        const text = await response.text();
        expect(JSON.parse(text)).toMatchObject({ error: { code: 'auth' } });
        expect(text).not.toContain(credential);
      }
    });

    it('answers 403 to a key without otel:write', async () => {
      const reader = await harness.createKey({ scopes: ['traces:read', 'gateway:invoke'] });
      const response = await exchange({ credential: reader });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: 'forbidden' } });
    });

    it('answers 400 to malformed bodies', async () => {
      for (const body of ['not json', '[]', {}, { credential: 42 }, { credential: '' }]) {
        const response = await exchange(body);
        expect(response.status).toBe(400);
        expect(await response.json()).toMatchObject({ error: { code: 'bad_request' } });
      }
    });
  });

  describe('OTLP authentication', () => {
    const protobuf = { 'content-type': 'application/x-protobuf' };

    async function revokedKey() {
      const key = await harness.createKey({ scopes: ['otel:write'] });
      await harness.store.keys.revoke(harness.orgId, key);
      return key;
    }

    async function rejectedTokens() {
      return {
        missing: null,
        expired: await forge(harness.projectId, { expiresIn: -60 }),
        forged: await forge(harness.projectId, { secret: 'some-other-secret-entirely-000000' }),
        'wrong audience': await forge(harness.projectId, { aud: 'to11-gateway' }),
        // An API key is accepted as the bearer (ingest-api-key.e2e.test.ts); a revoked one is not.
        'a revoked API key': await revokedKey(),
      };
    }

    it('answers 401 on OTLP/HTTP and UNAUTHENTICATED on gRPC to bad tokens', async () => {
      const { traceId } = ids();
      const body = encode(request([span(traceId)]));
      for (const [label, token] of Object.entries(await rejectedTokens())) {
        const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
        const http = await harness.http('/v1/traces', {
          method: 'POST',
          headers: { ...protobuf, ...headers },
          body,
        });
        expect(http.status, label).toBe(401);
        expect(await http.json()).toMatchObject({ error: { code: 'auth' } });
        const grpc = grpcClient(harness.grpcUrl).export(request([span(traceId)]), { headers });
        await expect(grpc, label).rejects.toSatisfy(
          (error) => ConnectError.from(error).code === Code.Unauthenticated,
        );
      }
    });

    it('answers 403 / PERMISSION_DENIED to a token without otel:write', async () => {
      const token = await forge(harness.projectId, { scopes: ['traces:read'] });
      const { traceId } = ids();
      const http = await harness.http('/v1/traces', {
        method: 'POST',
        headers: { ...protobuf, authorization: `Bearer ${token}` },
        body: encode(request([span(traceId)])),
      });
      expect(http.status).toBe(403);
      const grpc = grpcClient(harness.grpcUrl).export(request([span(traceId)]), {
        headers: { authorization: `Bearer ${token}` },
      });
      await expect(grpc).rejects.toSatisfy(
        (error) => ConnectError.from(error).code === Code.PermissionDenied,
      );
    });

    it.each(EXPORTER_KINDS)('makes the official %s exporter fail without storing', async (kind) => {
      const fixture = await buildSpanFixture();
      const target = { grpcUrl: harness.grpcUrl, httpUrl: harness.httpUrl, gzip: false };
      for (const token of [null, await forge(harness.projectId, { expiresIn: -60 })]) {
        const result = await exportOnce(kind, { ...target, token }, fixture.spans);
        expect(result.code).toBe(1);
        expect((result.error as { code?: number } | undefined)?.code).toBe(
          kind === 'grpc' ? Code.Unauthenticated : 401,
        );
      }
      expect(await harness.store.spans.getTrace(harness.projectId, fixture.traceId)).toEqual([]);
    });
  });
});
