import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../config.ts';
import { type PlanOptions, RoutePlan } from './route-plan.ts';

function configWith(text: string, env: Record<string, string> = {}) {
  const path = join(mkdtempSync(join(tmpdir(), 'to11-envs-')), 'to11.toml');
  writeFileSync(path, text);
  return loadGatewayConfig({ TO11_CONFIG: path, ...env });
}

const CONFIG = configWith(`
[targets.primary]
model = "gpt-4o"
[targets.backup]
model = "claude-sonnet-4-6"
[functions.summarize]
strategy = "fallback"
targets = ["primary", "backup"]
[functions.classify]
strategy = "single"
models = ["gpt-4o"]
[routes.smart]
models = ["smart"]
strategy = "single"
targets = ["primary"]

# staging: a cheaper primary everywhere it is named, and its own summarize.
[environments.staging.targets.primary]
model = "gpt-4o-mini"
[environments.staging.functions.summarize]
strategy = "single"
models = ["claude-haiku-4-5"]

# qa: a function and a target of its own, and a route using them.
[environments.qa.targets.probe]
model = "claude-haiku-4-5"
[environments.qa.functions.triage]
strategy = "single"
targets = ["probe"]
[environments.qa.routes.smart]
models = ["smart"]
strategy = "single"
targets = ["probe"]
`);

/** The first attempt of `model` in `environment`: [layer, name, target, upstream model]. */
function first(model: string, environment?: string) {
  const options: PlanOptions = environment ? { environment } : {};
  const step = RoutePlan.resolve(model, 'chat', CONFIG, options)?.next();
  if (!step) return null;
  const { routing } = step.attempt;
  return [
    routing['gateway.routing.layer'],
    routing['gateway.function.name'] ?? routing['gateway.route.name'],
    routing['gateway.target.name'],
    step.attempt.model,
  ];
}

describe('environment overlays of targets, functions and routes', () => {
  it.each([
    // prod: the base file.
    ['summarize', undefined, ['function', 'summarize', 'primary', 'gpt-4o']],
    ['classify', undefined, ['function', 'classify', 'classify/gpt-4o', 'gpt-4o']],
    ['smart', undefined, ['route', 'smart', 'primary', 'gpt-4o']],
    // staging replaces the target "primary": base routes and functions naming it follow.
    ['smart', 'staging', ['route', 'smart', 'primary', 'gpt-4o-mini']],
    [
      'summarize',
      'staging',
      ['function', 'summarize', 'staging:summarize/claude-haiku-4-5', 'claude-haiku-4-5'],
    ],
    ['classify', 'staging', ['function', 'classify', 'classify/gpt-4o', 'gpt-4o']],
    // qa adds a function and a target, and replaces a route with them.
    ['triage', 'qa', ['function', 'triage', 'probe', 'claude-haiku-4-5']],
    ['smart', 'qa', ['route', 'smart', 'probe', 'claude-haiku-4-5']],
    ['summarize', 'qa', ['function', 'summarize', 'primary', 'gpt-4o']],
    // An environment without a table routes like prod.
    ['smart', 'dev', ['route', 'smart', 'primary', 'gpt-4o']],
  ] as const)('%s in %s', (model, environment, expected) => {
    expect(first(model, environment)).toEqual(expected);
  });

  it.each([
    ['triage', undefined],
    ['triage', 'staging'],
    ['function::triage', 'prod'],
  ])('%s does not exist in %s', (model, environment) => {
    // Not a function there, and no provider serves the name.
    expect(first(model, environment)).toBeNull();
  });

  it('keeps the fallback of a replaced target in a base function', () => {
    const plan = RoutePlan.resolve(
      'summarize',
      'chat',
      configWith(`
[targets.primary]
model = "gpt-4o"
[targets.backup]
model = "claude-sonnet-4-6"
[functions.summarize]
strategy = "fallback"
targets = ["primary", "backup"]
[functions.summarize.retry]
max_retries = 0
[environments.staging.targets.backup]
model = "claude-haiku-4-5"
`),
      { environment: 'staging' },
    );
    const models: string[] = [];
    for (let step = plan?.next(); step; step = plan?.next({ retryable: true })) {
      models.push(step.attempt.model);
      if (models.length > 5) break;
    }
    // primary, backup (staging's), then the degraded extra try of the first.
    expect(models).toEqual(['gpt-4o', 'claude-haiku-4-5', 'gpt-4o']);
  });

  it.each([
    [
      '[environments.qa.targets.x]\nmodel = "no-such-model"',
      'environments.qa.targets.x.model: "no-such-model" is not served by any provider',
    ],
    [
      '[environments.qa.functions.f]\nstrategy = "single"\ntargets = ["nope"]',
      'environments.qa.functions.f.targets: unknown target "nope"',
    ],
    [
      '[environments.qa.targets.x]\nmodel = "gpt-4o"\ncredential = "env::TO11_TEST_UNSET_KEY"',
      'environments.qa.targets.x.credential: environment variable TO11_TEST_UNSET_KEY is not set',
    ],
    [
      '[environments.qa.functions."a:b"]\nstrategy = "single"\nmodels = ["gpt-4o"]',
      'environments.qa.functions.a:b',
    ],
  ])('refuses %s', (toml, message) => {
    expect(() => configWith(toml)).toThrow(message);
  });
});
