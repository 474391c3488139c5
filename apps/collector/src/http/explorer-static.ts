/**
 * Serves the built trace explorer (`apps/explorer/dist`, SPEC §10 "Explorer") on the collector's
 * HTTP listener: hashed files under `/assets/` are immutable for a year, `index.html` is
 * revalidated on every load, and a browser navigation to any other non-API path (a deep link
 * such as `/traces/<id>`) gets `index.html`, where the explorer's router takes over. Mounted
 * after every API route, so it only sees what they did not answer; API paths fall through to
 * the app's JSON 404.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import type { MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import type { AppEnv } from './env.ts';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const API_PREFIXES = ['/api/', '/v1/', '/opentelemetry.', '/health', '/metrics'];

/** Env variable that points the collector at another explorer build. */
export const EXPLORER_DIR_ENV = 'TO11_EXPLORER_DIR';

/**
 * Where the explorer build is: `TO11_EXPLORER_DIR` when set, otherwise `apps/explorer/dist`
 * found relative to this module (the collector's or the all-in-one's bundle in
 * `apps/<app>/dist/`, or this source file under `apps/collector/src/http/`). Null when there is
 * no `index.html` there. The variable is read here, beside the one place that uses it, so the
 * collector's configuration schema stays about the collector.
 */
export function resolveExplorerDir(
  env: Record<string, string | undefined> = process.env,
  moduleDir: string = fileURLToPath(new URL('.', import.meta.url)),
): string | null {
  const configured = env[EXPLORER_DIR_ENV];
  const candidates =
    configured !== undefined && configured !== ''
      ? [resolve(configured)]
      : [resolve(moduleDir, '../../explorer/dist'), resolve(moduleDir, '../../../explorer/dist')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}

function isApiPath(path: string): boolean {
  return API_PREFIXES.some((prefix) => path.startsWith(prefix));
}

/**
 * `handler` (a serveStatic) with `cache-control` on the file it serves. serveStatic's `onFound`
 * runs after the response is built, too late for a header, so it is set on the response.
 */
function cached(handler: MiddlewareHandler<AppEnv>, value: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const response = await handler(c, next);
    if (response instanceof Response) response.headers.set('cache-control', value);
    return response;
  };
}

/** The explorer's routes over the build in `dir`; a short "not built" page when `dir` is null. */
export function explorerStatic(options: { dir: string | null }): Hono<AppEnv> {
  const { dir } = options;
  const app = new Hono<AppEnv>();
  if (dir === null) {
    app.get('/', (c) =>
      c.text(
        `to11: the trace explorer is not built. Run \`pnpm build\` at the repository root (or set ${EXPLORER_DIR_ENV} to a built apps/explorer/dist) and reload.\n`,
        404,
        { 'cache-control': 'no-cache' },
      ),
    );
    return app;
  }
  const index = cached(serveStatic<AppEnv>({ root: dir, path: 'index.html' }), 'no-cache');
  const topLevelFile = cached(serveStatic<AppEnv>({ root: dir }), 'no-cache');
  app.use('/assets/*', cached(serveStatic<AppEnv>({ root: dir }), IMMUTABLE));
  app.get('/', index);
  app.get('/index.html', index);
  app.get('*', async (c, next) => {
    const path = c.req.path;
    if (isApiPath(path) || path.startsWith('/assets/')) return next();
    // Other files at the build's top level (favicon, robots.txt) are served as they are.
    const file = await topLevelFile(c, async () => {});
    if (file instanceof Response) return file;
    if (!(c.req.header('accept') ?? '').includes('text/html')) return next();
    return index(c, next);
  });
  return app;
}
