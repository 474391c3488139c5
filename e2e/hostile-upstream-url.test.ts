/**
 * No request can choose an upstream URL (issue "reliability and security"): a `model` naming a
 * URL, URL-carrying body fields (`base_url`, `api_base`, `baseURL`, `endpoint`, …) and headers
 * (`x-to11-*`, `host`, `x-forwarded-host`, `forwarded`) never make the gateway call anything
 * but the configured base URL. A second provider stands where an attacker would point: it
 * counts its hits, and must count none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from './src/fake-provider.ts';
import { type StartedTopology, TOPOLOGIES } from './src/topologies.ts';
import type { RunningProduct } from './src/topology.ts';

const allInOne = TOPOLOGIES[0];

describe('requests that try to choose the upstream URL', () => {
  let configured: FakeProvider;
  let evil: FakeProvider;
  let started: StartedTopology;
  let product: RunningProduct;
  beforeAll(async () => {
    if (!allInOne) throw new Error('no all-in-one topology');
    configured = await startFakeProvider();
    evil = await startFakeProvider();
    started = await allInOne.start(configured.baseUrl);
    product = started.product;
  });
  afterAll(async () => {
    await started?.dispose();
    await configured?.close();
    await evil?.close();
  });

  it('never reach anything but the configured base URL', async () => {
    const evilUrl = evil.baseUrl;
    const evilHost = new URL(evilUrl).host;
    const urlFields = Object.fromEntries(
      ['base_url', 'baseURL', 'api_base', 'apiBase', 'endpoint', 'url', 'upstream', 'provider'].map(
        (field) => [field, evilUrl],
      ),
    );
    const models = [
      'gpt-4o',
      evilUrl,
      `${evilUrl}/chat/completions`,
      `openai::${evilUrl}`,
      `evil::gpt-4o`,
      `//${evilHost}/v1`,
      `gpt-4o@${evilHost}`,
      `gpt-4o/../../${evilHost}`,
    ];
    const headers = {
      'x-to11-base-url': evilUrl,
      'x-to11-upstream': evilUrl,
      'x-to11-provider': evilUrl,
      'x-to11-provider-url': evilUrl,
      'x-to11-target': evilUrl,
      'x-to11-env': evilUrl,
      'x-forwarded-host': evilHost,
      forwarded: `host=${evilHost}`,
      'x-original-url': evilUrl,
    };
    const statuses: Record<string, number> = {};
    for (const model of models) {
      for (const [path, body] of [
        ['/v1/chat/completions', { model, messages: [{ role: 'user', content: 'hi' }] }],
        ['/v1/messages', { model, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }],
      ] as const) {
        const response = await fetch(`${product.gatewayUrl}${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-to11-authorization': `Bearer ${product.apiKey}`,
            authorization: 'Bearer sk-caller-provider-key',
            ...headers,
          },
          body: JSON.stringify({ ...urlFields, ...body }),
        });
        statuses[`${path} ${model}`] = response.status;
        await response.arrayBuffer();
      }
    }
    // Raw request with an absolute-form target naming the evil host.
    const absolute = await fetch(`${product.gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-to11-authorization': `Bearer ${product.apiKey}`,
        host: evilHost,
      },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    });
    await absolute.arrayBuffer();

    expect(evil.requests).toEqual([]);
    // Whatever was served went to the configured provider, on its own paths.
    const served = Object.values(statuses).filter((status) => status === 200).length;
    expect(served).toBeGreaterThan(0);
    expect(configured.requests.length).toBeGreaterThanOrEqual(served);
    for (const request of configured.requests) {
      expect(['/v1/chat/completions', '/v1/messages']).toContain(request.path);
      expect(request.headers.host).toBe(new URL(configured.baseUrl).host);
      for (const name of Object.keys(request.headers)) expect(name).not.toMatch(/^x-to11-/);
    }
    // A model that is a URL names no provider: 404, never a call.
    expect(statuses[`/v1/chat/completions ${evilUrl}`]).toBe(404);
    console.log(`answers: ${JSON.stringify(statuses)}`);
  });
});
