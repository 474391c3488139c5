import Anthropic from '@anthropic-ai/sdk';
import { testEngines } from '@to11/store/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, PROVIDER_KEY, spanNamed, startHarness, traceIdOf } from './harness.ts';

describe.each(testEngines())('auth on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine);
  });
  afterAll(async () => {
    await h.close();
  });

  const chat = (headers: Record<string, string>) =>
    fetch(`${h.baseURL}/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${PROVIDER_KEY}`,
        ...headers,
      },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    });
  const bearer = (key: string) => ({ 'x-to11-authorization': `Bearer ${key}` });

  it('answers 401 auth with traceparent and request id when the key is missing', async () => {
    const client = new OpenAI({ baseURL: h.baseURL, apiKey: PROVIDER_KEY, maxRetries: 0 });
    const error = await client.chat.completions
      .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    const apiError = error as InstanceType<typeof OpenAI.AuthenticationError>;
    expect(apiError.headers?.get('x-to11-error-code')).toBe('auth');
    expect(apiError.headers?.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(apiError.headers?.get('x-to11-request-id')).toMatch(/^req_/);
    const anthropic = new Anthropic({
      baseURL: h.gateway.url,
      apiKey: PROVIDER_KEY,
      maxRetries: 0,
    });
    const anthropicError = await anthropic.messages
      .create({
        model: 'claude-sonnet-4-6',
        max_tokens: 5,
        messages: [{ role: 'user', content: 'x' }],
      })
      .catch((caught: unknown) => caught);
    expect(anthropicError).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(
      (anthropicError as InstanceType<typeof Anthropic.AuthenticationError>).error,
    ).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error' },
    });
  });

  it('answers 401 for an unknown key and never echoes it', async () => {
    const fake = 'to11_test_thisKeyDoesNotExist0123456789';
    const response = await chat(bearer(fake));
    expect(response.status).toBe(401);
    expect(response.headers.get('x-to11-error-code')).toBe('auth');
    expect(await response.text()).not.toContain(fake);
    expect(h.logs.join('\n')).not.toContain(fake);
  });

  it('answers 401 once a key is revoked or expired', async () => {
    const { key, secret } = await h.store.keys.create({
      orgId: h.orgId,
      scopeClass: 'project',
      projectId: h.projectId,
      scopes: ['gateway:invoke'],
    });
    expect((await chat(bearer(secret))).status).toBe(200);
    expect(await h.store.keys.revoke(h.orgId, key.id)).toBe(true);
    expect((await chat(bearer(secret))).status).toBe(401);

    const expiring = await h.store.keys.create({
      orgId: h.orgId,
      scopeClass: 'project',
      projectId: h.projectId,
      scopes: ['gateway:invoke'],
      expiresAt: new Date(Date.now() + 400),
    });
    expect((await chat(bearer(expiring.secret))).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect((await chat(bearer(expiring.secret))).status).toBe(401);
  });

  it('answers 403 forbidden for a key without gateway:invoke', async () => {
    const { secret } = await h.store.keys.create({
      orgId: h.orgId,
      scopeClass: 'project',
      projectId: h.projectId,
      scopes: ['traces:read'],
    });
    const response = await chat(bearer(secret));
    expect(response.status).toBe(403);
    expect(response.headers.get('x-to11-error-code')).toBe('forbidden');
    expect(await response.json()).toMatchObject({
      error: { type: 'permission_error', code: 'forbidden' },
    });
  });

  it('makes org keys name a project of their own organization', async () => {
    const project = await h.store.projects.create(h.orgId, `second-${Date.now()}`);
    const { secret } = await h.store.keys.create({
      orgId: h.orgId,
      scopeClass: 'org',
      scopes: ['gateway:invoke'],
    });
    expect((await chat(bearer(secret))).status).toBe(403);
    const ok = await chat({ ...bearer(secret), 'x-to11-project-id': project.id });
    expect(ok.status).toBe(200);
    const traceId = traceIdOf(ok.headers.get('traceparent'));
    const deadline = Date.now() + 5_000;
    let spans = await h.store.spans.getTrace(project.id, traceId);
    while (spans.length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      spans = await h.store.spans.getTrace(project.id, traceId);
    }
    expect(spanNamed(spans, 'chat gpt-4o').resource.attributes['project.id']).toBe(project.id);
    expect(await h.store.spans.getTrace(h.projectId, traceId)).toEqual([]);

    const otherOrg = await h.store.organizations.create(`other-${Date.now()}`);
    const foreign = await h.store.projects.create(otherOrg.id, 'foreign');
    const denied = await chat({ ...bearer(secret), 'x-to11-project-id': foreign.id });
    expect(denied.status).toBe(403);
    const missing = await chat({ ...bearer(secret), 'x-to11-project-id': 'proj_doesnotexist' });
    expect(missing.status).toBe(403);
  });

  it('keeps a project key on its own project', async () => {
    const other = await h.store.projects.create(h.orgId, `third-${Date.now()}`);
    const response = await chat({ ...h.to11Headers, 'x-to11-project-id': other.id });
    expect(response.status).toBe(403);
    expect((await chat({ ...h.to11Headers, 'x-to11-project-id': h.projectId })).status).toBe(200);
  });

  it('never forwards the to11 key upstream, even when sent as the provider key', async () => {
    const response = await fetch(`${h.baseURL}/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...h.to11Headers,
        authorization: `Bearer ${h.apiKey}`,
      },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(200);
    const upstream = h.fake.requests.at(-1);
    expect(JSON.stringify(upstream?.headers)).not.toContain(h.apiKey);
  });
});
