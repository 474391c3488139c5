import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEnv } from './env.ts';
import { explorerStatic, resolveExplorerDir } from './explorer-static.ts';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'to11-explorer-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(dir, 'assets', 'index-Ab12.js'), 'console.log(1)');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The explorer mounted the way the collector mounts it: after an API route, before the 404. */
function appWith(explorerDir: string | null): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/api/v1/traces', (c) => c.json({ traces: [] }));
  app.route('/', explorerStatic({ dir: explorerDir }));
  app.notFound((c) => c.json({ error: { code: 'not_found', message: 'no such endpoint' } }, 404));
  return app;
}

const html = { accept: 'text/html,application/xhtml+xml' };

describe('explorerStatic', () => {
  it('serves index.html at / with no-cache', async () => {
    const response = await appWith(dir).request('/', { headers: html });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toContain('id="root"');
  });

  it('serves hashed assets as immutable for a year', async () => {
    const response = await appWith(dir).request('/assets/index-Ab12.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('answers a deep link that a browser navigates to with index.html', async () => {
    const response = await appWith(dir).request(`/traces/${'ab'.repeat(16)}?x=1`, {
      headers: html,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toContain('id="root"');
  });

  it('leaves API paths, missing assets and non-HTML requests to the JSON 404', async () => {
    const app = appWith(dir);
    for (const [path, headers] of [
      ['/api/v1/nothing', html],
      ['/v1/nothing', html],
      ['/assets/missing.js', html],
      ['/traces/abc', { accept: 'application/json' }],
    ] as const) {
      const response = await app.request(path, { headers });
      expect(response.status, path).toBe(404);
      expect(await response.json(), path).toMatchObject({ error: { code: 'not_found' } });
    }
    expect((await app.request('/api/v1/traces', { headers: html })).status).toBe(200);
  });

  it('says the explorer is not built when there is no build', async () => {
    const response = await appWith(null).request('/', { headers: html });
    expect(response.status).toBe(404);
    expect(await response.text()).toMatch(/trace explorer is not built.*TO11_EXPLORER_DIR/);
  });
});

describe('resolveExplorerDir', () => {
  it('takes TO11_EXPLORER_DIR when it holds a build, and null when it does not', () => {
    expect(resolveExplorerDir({ TO11_EXPLORER_DIR: dir })).toBe(dir);
    expect(resolveExplorerDir({ TO11_EXPLORER_DIR: join(dir, 'assets') })).toBeNull();
  });

  it('finds apps/explorer/dist from a bundle in apps/<app>/dist', () => {
    const root = mkdtempSync(join(tmpdir(), 'to11-tree-'));
    try {
      mkdirSync(join(root, 'apps/explorer/dist'), { recursive: true });
      writeFileSync(join(root, 'apps/explorer/dist/index.html'), '');
      expect(resolveExplorerDir({}, join(root, 'apps/cli/dist'))).toBe(
        join(root, 'apps/explorer/dist'),
      );
      expect(resolveExplorerDir({}, join(root, 'apps/collector/src/http'))).toBe(
        join(root, 'apps/explorer/dist'),
      );
      expect(resolveExplorerDir({}, join(root, 'elsewhere/x'))).toBeNull();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
