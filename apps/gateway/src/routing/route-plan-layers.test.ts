import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../config.ts';
import { type PlanOptions, RoutePlan } from './route-plan.ts';
import { seededRandom } from './weighted-pick.ts';

function configWith(text: string) {
  const path = join(mkdtempSync(join(tmpdir(), 'to11-layers-')), 'to11.toml');
  writeFileSync(path, text);
  return loadGatewayConfig({ TO11_CONFIG: path });
}

const CONFIG = configWith(`
[providers.stage]
base_url = "http://127.0.0.1:9/v1"
models = ["stage-model"]
enabled = false
[targets.a]
model = "gpt-4o"
[targets.b]
model = "claude-sonnet-4-6"
[targets.c]
model = "gpt-4o-mini"
[targets.s]
model = "stage-model"
[functions.summarize]
models = ["gpt-4o", "claude-sonnet-4-6"]
strategy = "fallback"
[functions.summarize.retry]
max_retries = 0
[functions.gpt-4o-mini]
strategy = "single"
targets = ["b"]
[routes.chain]
models = ["smart"]
strategy = "fallback"
targets = ["a", "b"]
[routes.multi]
models = ["multi"]
steps = [{ strategy = "weighted", targets = ["a", "b"] }, { strategy = "single", targets = ["c"] }]
[routes.multi.retry]
max_retries = 1
backoff_base_ms = 10
[routes.lone]
models = ["lone"]
strategy = "weighted"
targets = ["a"]
[routes.lone.retry]
max_retries = 2
[routes.ab]
models = ["ab"]
experiment = "speed-vs-quality"
variants = [{ name = "fast", model = "gpt-4o-mini", weight = 70 }, { name = "quality", target = "b", weight = 30 }]
[environments.staging]
enable_providers = ["stage"]
disable_providers = ["anthropic"]
[environments.staging.routes.chain]
models = ["smart"]
strategy = "single"
targets = ["s"]
`);

function first(model: string, options: PlanOptions = {}, kind: 'chat' | 'embeddings' = 'chat') {
  const step = RoutePlan.resolve(model, kind, CONFIG, options)?.next();
  if (!step) return null;
  const { routing } = step.attempt;
  return {
    layer: routing['gateway.routing.layer'],
    name: routing['gateway.function.name'] ?? routing['gateway.route.name'],
    target: routing['gateway.target.name'] ?? step.attempt.provider.id,
    model: step.attempt.model,
    environment: routing['deployment.environment.name'],
  };
}

/** Every attempt of a request whose attempts all fail: [target, fallback index, step]. */
function walk(model: string, options: PlanOptions = {}) {
  const plan = RoutePlan.resolve(model, 'chat', CONFIG, options);
  const out: unknown[][] = [];
  for (let step = plan?.next(); step; step = plan?.next({ retryable: true })) {
    const { routing } = step.attempt;
    out.push([
      routing['gateway.target.name'],
      routing['gateway.fallback.index'],
      routing['gateway.routing.step'] ?? 0,
      routing['gateway.fallback.degraded'] === true,
    ]);
    if (out.length > 20) break;
  }
  return out;
}

describe('model resolution across the three layers', () => {
  it.each([
    ['summarize', 'chat', 'function', 'summarize', 'summarize/gpt-4o'],
    ['function::summarize', 'chat', 'function', 'summarize', 'summarize/gpt-4o'],
    ['gpt-4o-mini', 'chat', 'function', 'gpt-4o-mini', 'b'],
    ['function::gpt-4o-mini', 'chat', 'function', 'gpt-4o-mini', 'b'],
    ['openai::gpt-4o-mini', 'chat', 'provider', undefined, 'openai'],
    ['smart', 'chat', 'route', 'chain', 'a'],
    ['route::chain', 'chat', 'route', 'chain', 'a'],
    ['gpt-4o', 'chat', 'provider', undefined, 'openai'],
  ] as const)('%s (%s) resolves on layer %s', (model, kind, layer, name, target) => {
    expect(first(model, {}, kind)).toMatchObject({ layer, name, target });
  });

  it.each([
    'summarize@embeddings',
    'function::nope',
    'route::summarize',
    'function::chain',
    'stage-model',
  ])('%s resolves to nothing', (spec) => {
    const [model, kind] = spec.split('@') as [string, 'chat' | 'embeddings' | undefined];
    expect(first(model, {}, kind ?? 'chat')).toBeNull();
  });

  it.each([
    ['smart', undefined, { name: 'chain', target: 'a', environment: 'prod' }],
    ['smart', 'prod', { name: 'chain', target: 'a', environment: 'prod' }],
    ['smart', 'staging', { name: 'chain', target: 's', model: 'stage-model' }],
    ['smart', 'qa', { name: 'chain', target: 'a', environment: 'qa' }],
    ['stage-model', 'staging', { layer: 'provider', target: 'stage', environment: 'staging' }],
    ['summarize', 'staging', { name: 'summarize', target: 'summarize/gpt-4o' }],
  ] as const)('%s in environment %s', (model, environment, expected) => {
    expect(first(model, environment ? { environment } : {})).toMatchObject(expected);
  });

  it('drops the targets and passthrough of providers inactive in the environment', () => {
    expect(first('claude-haiku-4-5', { environment: 'staging' })).toBeNull();
    expect(walk('summarize', { environment: 'staging' }).map((step) => step[0])).toEqual([
      'summarize/gpt-4o',
      'summarize/gpt-4o',
    ]);
  });
});

describe('steps, fallback and degraded mode', () => {
  it.each([
    [
      'a fallback function with its own retry policy, then the first target once more',
      'summarize',
      [
        ['summarize/gpt-4o', 0, 0, false],
        ['summarize/claude-sonnet-4-6', 1, 0, false],
        ['summarize/gpt-4o', 2, 0, true],
      ],
    ],
    [
      'a weighted step re-picked without the failed target, then the next step',
      'multi',
      [
        ['a', 0, 0, false],
        ['b', 0, 0, false],
        ['c', 1, 1, false],
        ['c', 1, 1, false],
        ['a', 2, 0, true],
      ],
    ],
    [
      'a weighted route retries without a degraded try',
      'lone',
      [
        ['a', 0, 0, false],
        ['a', 0, 0, false],
        ['a', 0, 0, false],
      ],
    ],
  ])('%s', (_title, model, expected) => {
    expect(walk(model, { random: () => 0 })).toEqual(expected);
  });

  it('counts retries, exclusions and exhaustion resets on the span and for the metrics', () => {
    const seen = { retries: 0, excluded: [] as string[], resets: 0 };
    const observer = {
      retryAttempt: () => {
        seen.retries += 1;
      },
      targetExcluded: (target: string) => {
        seen.excluded.push(target);
      },
      exhaustionReset: () => {
        seen.resets += 1;
      },
    };
    const plan = RoutePlan.resolve('lone', 'chat', CONFIG, { observer });
    plan?.next();
    plan?.next({ retryable: true });
    const third = plan?.next({ retryable: true });
    expect(third?.attempt.routing).toMatchObject({
      'gateway.retry.attempts': 2,
      'gateway.retry.target_exclusions': 2,
      'gateway.retry.exhaustion_resets': 2,
      'gateway.retry.excluded_target': ['a'],
    });
    expect(seen).toEqual({ retries: 2, excluded: ['a', 'a'], resets: 2 });
  });
});

describe('A/B experiments', () => {
  it('names the experiment and variant of each attempt', () => {
    const step = RoutePlan.resolve('ab', 'chat', CONFIG, { random: () => 0.9 })?.next();
    expect(step?.attempt.routing).toMatchObject({
      'gateway.routing.strategy': 'experiment',
      'gateway.experiment.name': 'speed-vs-quality',
      'gateway.experiment.variant': 'quality',
      'gateway.target.name': 'b',
    });
    expect(step?.attempt.model).toBe('claude-sonnet-4-6');
  });

  it('splits 2,000 calls within 3 standard deviations of the weights', () => {
    const random = seededRandom(20_261_207);
    const counts: Record<string, number> = {};
    const n = 2_000;
    for (let i = 0; i < n; i++) {
      const variant = RoutePlan.resolve('ab', 'chat', CONFIG, { random })?.next()?.attempt.routing[
        'gateway.experiment.variant'
      ];
      counts[String(variant)] = (counts[String(variant)] ?? 0) + 1;
    }
    for (const [variant, p] of [
      ['fast', 0.7],
      ['quality', 0.3],
    ] as const) {
      const sd = Math.sqrt(n * p * (1 - p));
      expect(Math.abs((counts[variant] ?? 0) - n * p)).toBeLessThanOrEqual(3 * sd);
    }
    expect(Object.keys(counts).sort()).toEqual(['fast', 'quality']);
  });
});
