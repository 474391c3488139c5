/**
 * Property tests of the gateway's configuration loader (schema, then the cross-checks of
 * providers, targets, routes and `env::` credentials): any to11.toml either loads or throws a
 * `ConfigError` naming what is wrong, never another error; a valid one loads as written.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@to11/config';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { hostileTomlText, validToml } from '../../../packages/config/test/toml-arbitraries.ts';
import { loadGatewayConfig } from './config.ts';

const dir = mkdtempSync(join(tmpdir(), 'to11-config-fuzz-'));
const path = join(dir, 'to11.toml');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function load(text: string) {
  writeFileSync(path, text);
  return loadGatewayConfig({ TO11_CONFIG: path, TO11_FUZZ_KEY: 'sk-fuzz' });
}

describe('loadGatewayConfig on hostile to11.toml documents', () => {
  it('loads or throws a ConfigError with a message, nothing else', () => {
    fc.assert(
      fc.property(hostileTomlText, (text) => {
        try {
          load(text);
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          expect((error as ConfigError).issues.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('loads every valid document with its provider, route and settings', () => {
    fc.assert(
      fc.property(validToml, ({ doc, text }) => {
        const config = load(text);
        const [id, provider] = Object.entries(doc.providers)[0] as [string, { base_url: string }];
        expect(config.providers.find((p) => p.id === id)?.baseUrl).toBe(provider.base_url);
        expect(config.captureContent).toBe(doc.genai_telemetry.capture_content);
        expect(config.retry.maxRetries).toBe(doc.routing.retry.max_retries);
      }),
      { numRuns: 200 },
    );
  });
});
