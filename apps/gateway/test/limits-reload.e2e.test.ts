/**
 * `[limits]` defaults follow a live reload: a key without stored limits is held to the
 * reloaded defaults at once (no restart, no wait for the settings cache), and released when a
 * later reload removes them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEngines } from '@to11/store/testing';
import OpenAI from 'openai';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigReloader, loadGatewayConfig } from '../src/index.ts';
import { type Harness, startHarness } from './harness.ts';
import { frozenClock, limitedCaller, openaiChat } from './limits-helpers.ts';

describe.each(testEngines())('limits defaults on live reload (%s)', (engine) => {
  let h: Harness;
  let reloader: ConfigReloader;
  let path: string;
  const clock = frozenClock();
  beforeAll(async () => {
    path = join(mkdtempSync(join(tmpdir(), 'to11-limits-reload-')), 'to11.toml');
    writeFileSync(path, '');
    h = await startHarness(engine, { TO11_CONFIG: path }, { limitClock: clock.read });
    const env = { TO11_CONFIG: path, TO11_OPENAI_BASE_URL: `${h.fake.origin}/v1` };
    reloader = new ConfigReloader({
      env,
      current: loadGatewayConfig(env),
      apply: (config) => h.gateway.applyConfig(config),
      logger: pino({ level: 'silent' }),
      metrics: h.gateway.metrics,
    });
  });
  afterAll(async () => {
    reloader.close();
    await h.close();
  });

  it('applies reloaded key defaults to the next request, and lifts them on the next reload', async () => {
    const { openai } = (await limitedCaller(h, {})).clients(h.gateway.url);
    for (let i = 0; i < 3; i += 1) {
      expect(await openaiChat(openai)).toMatchObject({ object: 'chat.completion' });
    }
    writeFileSync(path, '[limits.key]\nrequests_per_minute = 2\n');
    expect(reloader.reload('test').status).toBe('applied');
    expect(await openaiChat(openai)).toMatchObject({ object: 'chat.completion' });
    expect(await openaiChat(openai)).toMatchObject({ object: 'chat.completion' });
    const refused = await openaiChat(openai);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    const error = refused as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error.headers?.get('x-to11-limit')).toBe('key.requests_per_minute');

    writeFileSync(path, '');
    expect(reloader.reload('test').status).toBe('applied');
    expect(await openaiChat(openai)).toMatchObject({ object: 'chat.completion' });
  });
});
