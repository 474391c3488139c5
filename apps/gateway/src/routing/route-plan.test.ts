import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../config.ts';
import { RoutePlan } from './route-plan.ts';

function configWith(text: string) {
  const path = join(mkdtempSync(join(tmpdir(), 'to11-plan-')), 'to11.toml');
  writeFileSync(path, text);
  return loadGatewayConfig({ TO11_CONFIG: path });
}

const ROUTES = `
[targets.a]
model = "gpt-4o"
[targets.b]
model = "claude-sonnet-4-6"
[targets.bare]
model = "gpt-4.1"
[routes.chain]
models = ["smart"]
strategy = "fallback"
targets = ["a", "b"]
[routes.chain.retry]
max_retries = 1
backoff_base_ms = 100
[routes.split]
endpoint = "embeddings"
models = ["vectors"]
strategy = "weighted"
targets = ["a", "b"]
`;

describe('RoutePlan.resolve', () => {
  const config = configWith(ROUTES);

  it('resolves built-in model patterns to passthrough on their provider', () => {
    for (const [model, provider] of [
      ['gpt-4o', 'openai'],
      ['o3-mini', 'openai'],
      ['chatgpt-4o-latest', 'openai'],
      ['text-embedding-3-small', 'openai'],
      ['dall-e-3', 'openai'],
      ['gpt-image-1', 'openai'],
      ['tts-1', 'openai'],
      ['whisper-1', 'openai'],
      ['claude-haiku-4-5', 'anthropic'],
    ]) {
      const step = RoutePlan.resolve(String(model), 'chat', loadGatewayConfig({}))?.next();
      expect(step?.attempt.provider.id).toBe(provider);
      expect(step?.attempt.routing).toEqual({
        'gateway.routing.layer': 'provider',
        'gateway.attempt': 1,
        'deployment.environment.name': 'prod',
      });
    }
  });

  it('forces a provider with a prefix and strips it', () => {
    const step = RoutePlan.resolve('anthropic::my-model', 'chat', config)?.next();
    expect(step?.attempt.provider.id).toBe('anthropic');
    expect(step?.attempt.model).toBe('my-model');
  });

  it('finds nothing for unknown models, unknown prefixes and functions', () => {
    for (const model of [
      'llama-3',
      'nope::gpt-4o',
      'function::summarize',
      'route::missing',
      'openai::',
    ]) {
      expect(RoutePlan.resolve(model, 'chat', config)).toBeNull();
    }
  });

  it('matches routes by model and endpoint kind, and bare targets by their model', () => {
    expect(
      RoutePlan.resolve('smart', 'chat', config)?.next()?.attempt.routing['gateway.route.name'],
    ).toBe('chain');
    expect(RoutePlan.resolve('route::chain', 'embeddings', config)).not.toBeNull();
    expect(RoutePlan.resolve('vectors', 'chat', config)).toBeNull();
    expect(
      RoutePlan.resolve('vectors', 'embeddings', config)?.next()?.attempt.routing[
        'gateway.routing.strategy'
      ],
    ).toBe('weighted');
    expect(
      RoutePlan.resolve('gpt-4.1', 'chat', config)?.next()?.attempt.routing['gateway.route.name'],
    ).toBe('bare');
    expect(
      RoutePlan.resolve('openai::gpt-4.1', 'chat', config)?.next()?.attempt.routing[
        'gateway.routing.layer'
      ],
    ).toBe('provider');
  });
});

describe('RoutePlan.next', () => {
  const config = configWith(ROUTES);

  it('runs a passthrough call once', () => {
    const plan = RoutePlan.resolve('gpt-4o', 'chat', config);
    expect(plan?.next()).not.toBeNull();
    expect(plan?.next({ retryable: true })).toBeNull();
  });

  it('retries each fallback target, moves down the chain, tries the first once more, stops', () => {
    const plan = RoutePlan.resolve('smart', 'chat', config);
    const steps = [plan?.next()];
    for (let i = 0; i < 5; i++) steps.push(plan?.next({ retryable: true }));
    expect(
      steps.map(
        (step) =>
          step && [
            step.attempt.routing['gateway.target.name'],
            step.attempt.routing['gateway.fallback.index'],
            step.attempt.routing['gateway.attempt'],
          ],
      ),
    ).toEqual([['a', 0, 1], ['a', 0, 2], ['b', 1, 3], ['b', 1, 4], ['a', 2, 5], null]);
    expect(steps[4]?.attempt.routing['gateway.fallback.degraded']).toBe(true);
    expect(steps[4]?.attempt.routing['gateway.retry.excluded_target']).toEqual(['a', 'b']);
    expect(steps[0]?.delayMs).toBe(0);
    expect(steps[1]?.delayMs).toBeGreaterThanOrEqual(75);
    expect(steps[1]?.delayMs).toBeLessThanOrEqual(125);
    expect(steps[2]?.delayMs).toBe(0);
  });

  it('stops on a failure that is not retryable or asks to wait too long', () => {
    const plan = RoutePlan.resolve('smart', 'chat', config);
    plan?.next();
    expect(plan?.next({ retryable: false })).toBeNull();
    const patient = RoutePlan.resolve('smart', 'chat', config);
    patient?.next();
    expect(patient?.next({ retryable: true, retryAfterMs: 60_000 })).toBeNull();
    const polite = RoutePlan.resolve('smart', 'chat', config);
    polite?.next();
    expect(polite?.next({ retryable: true, retryAfterMs: 1_500 })?.delayMs).toBe(1_500);
  });

  it('re-picks a weighted target without the one that failed', () => {
    const plan = RoutePlan.resolve('vectors', 'embeddings', config);
    const first = plan?.next()?.attempt.routing['gateway.target.name'];
    const second = plan?.next({ retryable: true })?.attempt.routing['gateway.target.name'];
    expect(second).not.toBe(first);
  });
});

describe('RoutePlan.resolve with names of Object.prototype members (found by bench/fuzz.ts)', () => {
  const config = loadGatewayConfig({});

  it('routes an x-to11-env of toString or __proto__ like an unknown environment', () => {
    for (const environment of ['toString', '__proto__', 'constructor', 'valueOf']) {
      const plan = RoutePlan.resolve('gpt-4o', 'chat', config, { environment });
      expect(plan?.next()?.attempt.provider.id).toBe('openai');
    }
  });

  it('gives a model named toString the default timeout, not a function', () => {
    const attempt = RoutePlan.resolve('openai::toString', 'chat', config)?.next()?.attempt;
    expect(attempt?.model).toBe('toString');
    expect(attempt?.timeoutMs).toBe(config.defaultTimeoutMs);
  });
});
