/**
 * Cross-project access, as a generated matrix (issue "reliability and security"): every endpoint
 * (gateway chat, messages, responses, embeddings; collector OTLP/HTTP, OTLP/gRPC, token
 * exchange; read API traces list, trace by id, facets, sessions, dashboard; admin API projects
 * and keys) × every credential (a key of project A and of project B for each scope, an org key
 * for each scope, a B key asking for project A, a revoked key, an expired key, none) has one
 * expected status. Then the data: what A wrote is invisible to B (404 by id, absent from lists),
 * and spans B sends claiming `project.id` = A are stored in B.
 *
 * Runs on the all-in-one. The failed-auth limit is off here: the matrix itself makes dozens of
 * failed attempts from one address on purpose.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grpcExportFrom } from '../apps/collector/test/from-address.ts';
import { type FakeProvider, startFakeProvider } from './src/fake-provider.ts';
import { type StartedTopology, TOPOLOGIES } from './src/topologies.ts';
import type { RunningProduct } from './src/topology.ts';

const SCOPES = ['gateway:invoke', 'otel:write', 'traces:read', 'admin'] as const;
type Scope = (typeof SCOPES)[number];
const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

/** A credential of the matrix. */
interface Credential {
  name: string;
  /** The key; undefined sends none. */
  key?: string;
  scopes: readonly Scope[];
  /** Project the key belongs to (null: org key). */
  project: 'A' | 'B' | null;
  /** The project it asks for with `x-to11-project-id`. */
  asks?: 'A' | 'B';
  state: 'valid' | 'revoked' | 'expired' | 'none';
}

/** What a cell expects. */
type Expected = 'ok' | 'auth' | 'forbidden' | 'bad_request' | 'not_found';

interface Endpoint {
  name: string;
  scope: Scope;
  /** Whether the endpoint acts on one project (admin acts on the org). */
  projectScoped: boolean;
  /** Sends the request; answers a status normalised to {@link Expected}. */
  call(credential: Credential): Promise<Expected | string>;
}

function expectedFor(endpoint: Endpoint, credential: Credential): Expected {
  if (credential.state !== 'valid') {
    return credential.state === 'none' && endpoint.name === 'token exchange'
      ? 'bad_request'
      : 'auth';
  }
  if (!credential.scopes.includes(endpoint.scope)) return 'forbidden';
  // A project key asking for another project: refused, except for admin (an org power, §9).
  if (credential.project !== null && credential.asks !== undefined) {
    if (credential.asks !== credential.project && endpoint.scope !== 'admin') return 'forbidden';
  }
  return 'ok';
}

function normalise(status: number): Expected | string {
  if (status === 401) return 'auth';
  if (status === 403) return 'forbidden';
  if (status === 400) return 'bad_request';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate limited';
  return status < 300 || status === 501 ? 'ok' : `status ${status}`;
}

const allInOne = TOPOLOGIES[0];

describe('cross-project access matrix on the all-in-one', () => {
  let fake: FakeProvider;
  let started: StartedTopology;
  let product: RunningProduct;
  const projects: Record<'A' | 'B', string> = { A: '', B: '' };
  const credentials: Credential[] = [];

  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${product.httpUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${product.apiKey}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>;
  };
  const mint = async (
    scopes: readonly Scope[],
    project: 'A' | 'B' | null,
    expiresAt?: string,
  ): Promise<{ key: string; id: string }> =>
    (await admin('POST', '/api/v1/keys', {
      scopeClass: project === null ? 'org' : 'project',
      ...(project === null ? {} : { projectId: projects[project] }),
      scopes,
      ...(expiresAt === undefined ? {} : { expiresAt }),
    })) as never;

  beforeAll(async () => {
    if (!allInOne) throw new Error('no all-in-one topology');
    fake = await startFakeProvider();
    started = await allInOne.start(fake.baseUrl, { TO11_AUTH_FAILURE_LIMIT: '0' });
    product = started.product;
    const list = (await admin('GET', '/api/v1/projects')) as { projects: { id: string }[] };
    projects.A = list.projects[0]?.id ?? '';
    projects.B = ((await admin('POST', '/api/v1/projects', { name: 'b' })) as { id: string }).id;
    for (const project of ['A', 'B', null] as const) {
      for (const scope of SCOPES) {
        const { key } = await mint([scope], project);
        credentials.push({
          name: `${project ?? 'org'} ${scope}`,
          key,
          scopes: [scope],
          project,
          ...(project === null ? { asks: 'A' as const } : {}),
          state: 'valid',
        });
      }
    }
    credentials.push({
      name: 'B all scopes asking for A',
      key: (await mint(SCOPES, 'B')).key,
      scopes: SCOPES,
      project: 'B',
      asks: 'A',
      state: 'valid',
    });
    const revoked = await mint(SCOPES, 'A');
    await admin('DELETE', `/api/v1/keys/${revoked.id}`);
    credentials.push({
      name: 'A revoked',
      key: revoked.key,
      scopes: SCOPES,
      project: 'A',
      state: 'revoked',
    });
    const expiresAt = new Date(Date.now() + 1_500).toISOString();
    const expired = await mint(SCOPES, 'A', expiresAt);
    credentials.push({
      name: 'A expired',
      key: expired.key,
      scopes: SCOPES,
      project: 'A',
      state: 'expired',
    });
    credentials.push({ name: 'no key', scopes: [], project: null, state: 'none' });
    await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 200));
  });
  afterAll(async () => {
    await started?.dispose();
    await fake?.close();
  });

  const projectHeader = (c: Credential): Record<string, string> =>
    c.asks === undefined ? {} : { 'x-to11-project-id': projects[c.asks] };
  const bearer = (c: Credential): Record<string, string> =>
    c.key === undefined ? {} : { authorization: `Bearer ${c.key}` };

  function gatewayEndpoint(name: string, path: string, body: unknown): Endpoint {
    return {
      name,
      scope: 'gateway:invoke',
      projectScoped: true,
      async call(c) {
        const response = await fetch(`${product.gatewayUrl}${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: 'Bearer sk-provider-key',
            ...(c.key === undefined ? {} : { 'x-to11-authorization': `Bearer ${c.key}` }),
            ...projectHeader(c),
          },
          body: JSON.stringify(body),
        });
        await response.arrayBuffer();
        // An upstream's own 404 (the fake serves no embeddings) means the gateway let it through.
        const code = response.headers.get('x-to11-error-code');
        return code === 'auth' || code === 'forbidden' ? normalise(response.status) : 'ok';
      },
    };
  }
  function readEndpoint(name: string, path: () => string): Endpoint {
    return {
      name,
      scope: 'traces:read',
      projectScoped: true,
      async call(c) {
        const response = await fetch(`${product.httpUrl}${path()}`, {
          headers: { ...bearer(c), ...projectHeader(c) },
        });
        await response.arrayBuffer();
        return normalise(response.status);
      },
    };
  }
  function adminEndpoint(name: string, path: string): Endpoint {
    return {
      name,
      scope: 'admin',
      projectScoped: false,
      async call(c) {
        const response = await fetch(`${product.httpUrl}${path}`, {
          headers: { ...bearer(c), ...projectHeader(c) },
        });
        await response.arrayBuffer();
        return normalise(response.status);
      },
    };
  }
  const range = () => `since=${Date.now() - 3_600_000}&until=${Date.now() + 60_000}`;
  let traceOfA = '';

  const ENDPOINTS: Endpoint[] = [
    gatewayEndpoint('gateway chat', '/v1/chat/completions', {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
    }),
    gatewayEndpoint('gateway messages', '/v1/messages', {
      model: 'claude-sonnet-4-6',
      max_tokens: 5,
      messages: [{ role: 'user', content: 'hi' }],
    }),
    gatewayEndpoint('gateway responses', '/v1/responses', { model: 'gpt-4o', input: 'hi' }),
    gatewayEndpoint('gateway embeddings', '/v1/embeddings', {
      model: 'text-embedding-3-small',
      input: 'x',
    }),
    {
      name: 'otlp/http',
      scope: 'otel:write',
      projectScoped: true,
      async call(c) {
        const response = await fetch(`${product.httpUrl}/v1/traces`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...bearer(c), ...projectHeader(c) },
          body: '{"resourceSpans":[]}',
        });
        await response.arrayBuffer();
        return normalise(response.status);
      },
    },
    {
      name: 'otlp/grpc',
      scope: 'otel:write',
      projectScoped: true,
      async call(c) {
        const { grpcStatus } = await grpcExportFrom(
          '127.0.0.1',
          product.grpcUrl,
          EXPORT_PATH,
          c.key === undefined ? '' : `Bearer ${c.key}`,
          new Uint8Array(),
          projectHeader(c),
        );
        const codes: Record<string, Expected> = { '0': 'ok', '16': 'auth', '7': 'forbidden' };
        return codes[grpcStatus] ?? `grpc ${grpcStatus}`;
      },
    },
    {
      name: 'token exchange',
      scope: 'otel:write',
      projectScoped: true,
      async call(c) {
        const response = await fetch(`${product.httpUrl}/v1/ingest-token/exchange`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            ...(c.key === undefined ? {} : { credential: c.key }),
            ...(c.asks === undefined ? {} : { requestedProjectId: projects[c.asks] }),
          }),
        });
        await response.arrayBuffer();
        return normalise(response.status);
      },
    },
    readEndpoint('read traces list', () => '/api/v1/traces'),
    readEndpoint('read facets', () => `/api/v1/traces/facets?${range()}`),
    readEndpoint('read sessions', () => '/api/v1/sessions'),
    readEndpoint('read dashboard', () => `/api/v1/dashboard?${range()}`),
    adminEndpoint('admin projects', '/api/v1/projects'),
    adminEndpoint('admin keys', '/api/v1/keys'),
  ];

  it('answers every endpoint × credential cell as expected', async () => {
    const mismatches: string[] = [];
    let cells = 0;
    for (const endpoint of ENDPOINTS) {
      for (const credential of credentials) {
        const expected = expectedFor(endpoint, credential);
        const got = await endpoint.call(credential);
        cells += 1;
        if (got !== expected) {
          mismatches.push(
            `${endpoint.name} × ${credential.name}: expected ${expected}, got ${got}`,
          );
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(cells).toBe(ENDPOINTS.length * credentials.length);
    console.log(`cross-project matrix: ${cells} cells, all as expected`);
  });

  it('shows nothing of A to B: trace by id 404, lists without it; B cannot write into A', async () => {
    const key = (name: string) => credentials.find((c) => c.name === name)?.key ?? '';
    const call = await fetch(`${product.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer sk-provider-key',
        'x-to11-authorization': `Bearer ${key('A gateway:invoke')}`,
      },
      body: JSON.stringify({
        model: 'gpt-4o-only-in-a',
        messages: [{ role: 'user', content: 'secret of A' }],
      }),
    });
    expect(call.status).toBe(200);
    traceOfA = call.headers.get('traceparent')?.split('-')[1] ?? '';
    const read = (who: string, path: string, headers: Record<string, string> = {}) =>
      fetch(`${product.httpUrl}${path}`, {
        headers: { authorization: `Bearer ${key(who)}`, ...headers },
      });
    // A sees its trace once the span is written.
    for (
      let i = 0;
      i < 50 && (await read('A traces:read', `/api/v1/traces/${traceOfA}`)).status !== 200;
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await read('A traces:read', `/api/v1/traces/${traceOfA}`)).status).toBe(200);
    const facetsOfA = await read('A traces:read', `/api/v1/traces/facets?${range()}`);
    expect(await facetsOfA.text()).toContain('gpt-4o-only-in-a');
    expect((await read('B traces:read', `/api/v1/traces/${traceOfA}`)).status).toBe(404);
    expect(
      (
        await read('org traces:read', `/api/v1/traces/${traceOfA}`, {
          'x-to11-project-id': projects.B,
        })
      ).status,
    ).toBe(404);
    for (const path of [
      '/api/v1/traces',
      `/api/v1/dashboard?${range()}`,
      '/api/v1/sessions',
      `/api/v1/traces/facets?${range()}`,
    ]) {
      const text = await (await read('B traces:read', path)).text();
      expect(text).not.toContain(traceOfA);
      expect(text).not.toContain('gpt-4o-only-in-a');
    }

    // B writes a span that claims project A: it lands in B.
    const traceId = `${'b'.repeat(31)}1`;
    const sent = await fetch(`${product.httpUrl}/v1/traces`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${key('B otel:write')}`,
      },
      body: JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'project.id', value: { stringValue: projects.A } }] },
            scopeSpans: [
              {
                spans: [
                  {
                    traceId,
                    spanId: 'c'.repeat(16),
                    name: 'claims A',
                    startTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
                    endTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n + 1000n),
                    attributes: [{ key: 'project.id', value: { stringValue: projects.A } }],
                  },
                ],
              },
            ],
          },
        ],
      }),
    });
    expect(sent.status).toBe(200);
    expect((await read('A traces:read', `/api/v1/traces/${traceId}`)).status).toBe(404);
    const inB = await read('B traces:read', `/api/v1/traces/${traceId}`);
    expect(inB.status).toBe(200);
    expect(JSON.stringify(await inB.json())).toContain(projects.B);
  });
});
