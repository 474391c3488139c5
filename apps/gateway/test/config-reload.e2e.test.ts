/**
 * Live reload of to11.toml in one gateway process: a changed file (watched) is applied under
 * load without a failed call, an invalid one is refused naming every problem while the old
 * configuration keeps serving, and `/metrics` shows the generation and the refusals.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@to11/config';
import { testEngines } from '@to11/store/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigReloader, loadGatewayConfig, type StartedGateway } from '../src/index.ts';
import { type Harness, PROVIDER_KEY, startHarness } from './harness.ts';
import { type ProviderHub, providerHub, providerOf } from './provider-hub.ts';

function configText(hub: ProviderHub, origin: string, target: 'one' | 'two'): string {
  return [
    hub.toml(origin, { one: ['model-one'], two: ['model-two'] }),
    `[targets.t]\nmodel = "model-${target}"`,
    '[routes.smart]\nmodels = ["smart"]\nstrategy = "single"\ntargets = ["t"]',
  ].join('\n');
}

/** A `name value` line of a `/metrics` document (0 when absent). */
function metricValue(text: string, name: string): number {
  const line = text.split('\n').find((row) => row.startsWith(`${name} `));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

async function until(check: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}

describe.each(testEngines())('live reload of to11.toml on %s', (engine) => {
  let h: Harness;
  let hub: ProviderHub;
  let gateway: StartedGateway;
  let reloader: ConfigReloader;
  let path: string;
  let client: OpenAI;
  const metrics = async () => (await fetch(`${gateway.url}/metrics`)).text();

  beforeAll(async () => {
    h = await startHarness(engine);
    hub = providerHub();
    // Every answer takes a moment, so that calls are in flight when the reload lands.
    h.fake.handler = async (request, response) => {
      await new Promise((resolve) => setTimeout(resolve, 15));
      return hub.handler(request, response);
    };
    path = join(mkdtempSync(join(tmpdir(), 'to11-reload-')), 'to11.toml');
    writeFileSync(path, configText(hub, h.fake.origin, 'one'));
    const env = {
      TO11_GATEWAY_PORT: '0',
      TO11_OPENAI_BASE_URL: `${h.fake.origin}/v1`,
      TO11_CONFIG: path,
    };
    gateway = await h.startGateway(env);
    reloader = new ConfigReloader({
      env,
      current: loadGatewayConfig(env),
      apply: (config) => gateway.applyConfig(config),
      logger: (await import('pino')).pino({ level: 'silent' }),
      metrics: gateway.metrics,
    });
    reloader.watch(50);
    client = new OpenAI({
      baseURL: `${gateway.url}/v1`,
      apiKey: PROVIDER_KEY,
      defaultHeaders: h.to11Headers,
      maxRetries: 0,
    });
  });
  afterAll(async () => {
    reloader.close();
    await h.close();
  });

  it('applies a changed file under load without failing a call', async () => {
    expect(metricValue(await metrics(), 'to11_config_generation')).toBe(1);
    let stop = false;
    const failures: unknown[] = [];
    const start = h.fake.requests.length;
    let calls = 0;
    const worker = async () => {
      while (!stop) {
        calls += 1;
        try {
          const answer = await client.chat.completions.create({
            model: 'smart',
            messages: [{ role: 'user', content: 'x' }],
          });
          expect(answer.choices[0]?.message.content).toBeTruthy();
        } catch (error) {
          failures.push(error);
        }
      }
    };
    const load = Array.from({ length: 8 }, worker);
    await new Promise((resolve) => setTimeout(resolve, 300));
    writeFileSync(path, configText(hub, h.fake.origin, 'two'));
    const applied = await until(
      async () => metricValue(await metrics(), 'to11_config_generation') === 2,
    );
    // Keep the load on after the switch so calls run on the new configuration too.
    const switched = h.fake.requests.length;
    await until(async () =>
      h.fake.requests.slice(switched).some((request) => providerOf(request) === 'two'),
    );
    stop = true;
    await Promise.all(load);
    expect(applied).toBe(true);
    expect(failures).toEqual([]);
    const upstream = h.fake.requests.slice(start);
    expect(upstream).toHaveLength(calls);
    expect([...new Set(upstream.map(providerOf))].sort()).toEqual(['one', 'two']);
    const after = h.fake.requests.length;
    await client.chat.completions.create({
      model: 'smart',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(providerOf(h.fake.requests[after] as never)).toBe('two');
  });

  it('refuses an invalid file naming every problem, and keeps the configuration in force', async () => {
    writeFileSync(
      path,
      [
        configText(hub, h.fake.origin, 'two'),
        '[routes.broken]\nmodels = ["b"]\nstrategy = "single"\ntargets = ["missing", "t"]',
        '[targets.ghost]\nmodel = "nobody-serves-this"',
      ].join('\n'),
    );
    expect(
      await until(
        async () => metricValue(await metrics(), 'to11_config_reload_failures_total') === 1,
      ),
    ).toBe(true);
    const result = reloader.reload('test');
    expect(result.status).toBe('refused');
    const error = result.status === 'refused' ? result.error : null;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.issues.map((issue) => `${issue.key}: ${issue.message}`)).toEqual([
      'targets.ghost.model: "nobody-serves-this" is not served by any provider',
      'routes.broken.targets: unknown target "missing"',
      'routes.broken.targets: strategy "single" takes exactly one target',
    ]);
    const text = await metrics();
    expect(metricValue(text, 'to11_config_generation')).toBe(2);
    expect(metricValue(text, 'to11_config_reload_failures_total')).toBe(2);
    const before = h.fake.requests.length;
    await client.chat.completions.create({
      model: 'smart',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(providerOf(h.fake.requests[before] as never)).toBe('two');
  });
});
