/**
 * Function routing, steps with degraded mode, environments, A/B experiments and query-string
 * auth, through the real OpenAI and Anthropic SDKs against fake providers that fail on command.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { testEngines } from '@to11/store/testing';
import type { SpanRecord } from '@to11/trace-core';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StartedGateway } from '../src/index.ts';
import { type Harness, PROVIDER_KEY, spansJson, startHarness, traceIdOf } from './harness.ts';
import { type ProviderHub, providerHub, providerOf } from './provider-hub.ts';

function writeToml(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'to11-layers-')), 'to11.toml');
  writeFileSync(path, text);
  return path;
}

/** The CLIENT (GenAI) spans of a trace in attempt order. */
function attempts(spans: SpanRecord[]): SpanRecord[] {
  return spans
    .filter((span) => span.kind === 'CLIENT')
    .sort(
      (a, b) => Number(a.attributes['gateway.attempt']) - Number(b.attributes['gateway.attempt']),
    );
}

describe.each(testEngines())(
  'function routing, steps, environments, experiments on %s',
  (engine) => {
    let h: Harness;
    let hub: ProviderHub;
    let gateway: StartedGateway;
    let openai: OpenAI;
    let anthropic: Anthropic;

    beforeAll(async () => {
      h = await startHarness(engine);
      hub = providerHub();
      h.fake.handler = hub.handler;
      const config = writeToml(
        [
          hub.toml(h.fake.origin, { one: ['model-one'], two: ['model-two'] }),
          '[providers.three]',
          `base_url = "${h.fake.origin}/three/v1"`,
          'models = ["model-three"]',
          'enabled = false',
          '[providers.gem]',
          `base_url = "${h.fake.origin}/gem/v1"`,
          'models = ["gem-model"]',
          'auth_type = "query_param"',
          'credential = "env::TO11_TEST_GEM_KEY"',
          '[targets.first]\nmodel = "model-one"',
          '[targets.second]\nmodel = "model-two"',
          '[functions.summarize]',
          'strategy = "fallback"',
          'models = ["model-one", "model-two"]',
          '[functions.summarize.retry]\nmax_retries = 0\nbackoff_base_ms = 5',
          '[routes.tiered]',
          'models = ["tiered"]',
          'steps = [{ strategy = "single", targets = ["first"] }, { strategy = "single", targets = ["second"] }]',
          '[routes.tiered.retry]\nmax_retries = 1\nbackoff_base_ms = 5',
          '[routes.ab]',
          'models = ["ab"]',
          'experiment = "one-vs-two"',
          'variants = [{ name = "control", target = "first", weight = 1 }, { name = "candidate", model = "model-two", weight = 1 }]',
          '[routes.smart]\nmodels = ["smart"]\nstrategy = "single"\ntargets = ["first"]',
          '[environments.staging]\nenable_providers = ["three"]',
          '[environments.staging.routes.smart]',
          'models = ["smart"]\nstrategy = "single"\ntargets = ["second"]',
        ].join('\n'),
      );
      gateway = await h.startGateway({ TO11_CONFIG: config, TO11_TEST_GEM_KEY: 'gem-secret-key' });
      const common = { apiKey: PROVIDER_KEY, defaultHeaders: h.to11Headers, maxRetries: 0 };
      openai = new OpenAI({ ...common, baseURL: `${gateway.url}/v1` });
      anthropic = new Anthropic({ ...common, baseURL: gateway.url });
    });
    afterEach(() => {
      hub.down.clear();
    });
    afterAll(async () => {
      await h.close();
    });

    it('serves a function by name and falls back to its second model', async () => {
      hub.down.add('one');
      const { data, response } = await openai.chat.completions
        .create({ model: 'summarize', messages: [{ role: 'user', content: 'x' }] })
        .withResponse();
      expect(data.choices[0]?.message.content).toBeTruthy();
      const spans = attempts(await h.spans(traceIdOf(response.headers.get('traceparent')), 3));
      expect(spans.map((span) => [span.name, span.status.code])).toEqual([
        ['chat model-one', 'ERROR'],
        ['chat model-two', 'OK'],
      ]);
      expect(spans[1]?.attributes).toMatchObject({
        'gateway.routing.layer': 'function',
        'gateway.function.name': 'summarize',
        'gateway.target.name': 'summarize/model-two',
        'gateway.fallback.index': 1,
        'gateway.retry.attempts': 1,
        'gateway.retry.target_exclusions': 1,
        'gateway.retry.excluded_target': ['summarize/model-one'],
      });
    });

    it('tries the first target once more after every step failed, then answers the error', async () => {
      hub.down.add('one');
      hub.down.add('two');
      const error = await anthropic.messages
        .create({ model: 'tiered', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(Anthropic.APIError);
      expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(503);
      const traceparent = (error as InstanceType<typeof Anthropic.APIError>).headers?.get(
        'traceparent',
      );
      const spans = attempts(await h.spans(traceIdOf(traceparent), 6));
      expect(
        spans.map((span) => [
          span.attributes['gateway.target.name'],
          span.attributes['gateway.routing.step'],
          span.attributes['gateway.fallback.index'],
          span.attributes['gateway.fallback.degraded'] ?? false,
        ]),
      ).toEqual([
        ['first', 0, 0, false],
        ['first', 0, 0, false],
        ['second', 1, 1, false],
        ['second', 1, 1, false],
        ['first', 0, 2, true],
      ]);
    });

    it('recovers on the degraded-mode try when the primary came back', async () => {
      hub.down.add('one');
      hub.down.add('two');
      let calls = 0;
      const handler = hub.handler;
      h.fake.handler = (request, response) => {
        calls += 1;
        // Four failures (two per step), then the primary is back for the extra try.
        if (calls === 5) hub.down.clear();
        return handler(request, response);
      };
      try {
        const data = await openai.chat.completions.create({
          model: 'tiered',
          messages: [{ role: 'user', content: 'x' }],
        });
        expect(data.model).toMatch(/^model-one/);
        expect(calls).toBe(5);
      } finally {
        h.fake.handler = handler;
      }
    });

    it('selects the environment overlay from x-to11-env and records it on the span', async () => {
      for (const [headers, provider, environment] of [
        [{}, 'one', 'prod'],
        [{ 'x-to11-env': 'staging' }, 'two', 'staging'],
        [{ 'x-to11-environment': 'staging' }, 'two', 'staging'],
      ] as const) {
        const before = h.fake.requests.length;
        const { response } = await openai.chat.completions
          .create({ model: 'smart', messages: [{ role: 'user', content: 'x' }] }, { headers })
          .withResponse();
        expect(providerOf(h.fake.requests[before] as never)).toBe(provider);
        const [span] = attempts(await h.spans(traceIdOf(response.headers.get('traceparent')), 2));
        expect(span?.attributes['deployment.environment.name']).toBe(environment);
      }
      // A provider switched on only in staging is unknown in prod.
      await expect(
        openai.chat.completions.create({ model: 'model-three', messages: [] }),
      ).rejects.toMatchObject({ status: 404 });
      const staged = await openai.chat.completions.create(
        { model: 'model-three', messages: [{ role: 'user', content: 'x' }] },
        { headers: { 'x-to11-env': 'staging' } },
      );
      expect(staged.model).toMatch(/^model-three/);
    });

    it('sends the managed key as a query parameter for auth_type = "query_param"', async () => {
      const { response } = await openai.chat.completions
        .create({ model: 'gem-model', messages: [{ role: 'user', content: 'x' }] })
        .withResponse();
      const upstream = h.fake.requests.at(-1);
      expect(upstream?.path).toBe('/gem/v1/chat/completions?key=gem-secret-key');
      expect(upstream?.headers.authorization).toBeUndefined();
      const spans = await h.spans(traceIdOf(response.headers.get('traceparent')), 2);
      expect(spansJson(spans)).not.toContain('gem-secret-key');
    });

    it('splits an experiment by weight, naming the variant on spans and in /metrics', async () => {
      const calls = 60;
      const variants: Record<string, number> = {};
      for (let i = 0; i < calls; i++) {
        const { response } = await openai.chat.completions
          .create({ model: 'ab', messages: [{ role: 'user', content: 'x' }] })
          .withResponse();
        const [span] = attempts(await h.spans(traceIdOf(response.headers.get('traceparent')), 2));
        expect(span?.attributes['gateway.experiment.name']).toBe('one-vs-two');
        const variant = String(span?.attributes['gateway.experiment.variant']);
        variants[variant] = (variants[variant] ?? 0) + 1;
      }
      expect(Object.keys(variants).sort()).toEqual(['candidate', 'control']);
      const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
      const counted = metrics
        .split('\n')
        .filter(
          (line) =>
            line.startsWith('gen_ai_client_operation_duration_seconds_count{') &&
            line.includes('gateway_experiment_name="one-vs-two"'),
        );
      const byVariant = Object.fromEntries(
        counted.map((line) => [
          /gateway_experiment_variant="([^"]+)"/.exec(line)?.[1],
          Number(line.split(' ').pop()),
        ]),
      );
      expect(byVariant).toEqual(variants);
      expect(metrics).toMatch(/^gateway_retry_attempts_total [1-9]/m);
      expect(metrics).toMatch(
        /^gateway_retry_target_exclusions_total\{gateway_retry_excluded_target="summarize\/model-one"\} [1-9]/m,
      );
    });
  },
);
