import { type ExportMetricFamily, renderExportMetrics } from '@to11/forward';
import type { AuthFailureLimiter, Store } from '@to11/store';
import { StoreInputError } from '@to11/store';
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import type { Admission } from '../admission.ts';
import {
  CollectorError,
  type ErrorAnswer,
  errorAnswer,
  logSafeMessage,
  RETRY_AFTER_SECONDS,
} from '../errors.ts';
import type { TraceExporter } from '../export-traces.ts';
import type { IngestTokens } from '../ingest-token.ts';
import { keysRoute } from '../routes/keys.ts';
import { limitsRoute } from '../routes/limits.ts';
import { notSupportedRoute } from '../routes/not-supported.ts';
import { otlpHttpRoute } from '../routes/otlp-http.ts';
import { projectsRoute } from '../routes/projects.ts';
import { tokenExchangeRoute } from '../routes/token-exchange.ts';
import { tracesRoute } from '../routes/traces.ts';
import type { CollectorSharedState } from '../shared-state/shared-state.ts';
import type { AppEnv } from './env.ts';
import { explorerStatic, resolveExplorerDir } from './explorer-static.ts';

/** Everything the collector's HTTP listener (4318) depends on. */
export interface HttpAppDeps {
  store: Store;
  tokens: IngestTokens;
  exporter: TraceExporter;
  admission: Admission;
  maxBodyBytes: number;
  logger: Logger;
  /** With `REDIS_URL`: revocations published, limit usage read from the gateways' counters. */
  shared?: CollectorSharedState;
  /** The `to11_export_*` series of span forwarding, for `GET /metrics`. */
  exportMetrics: () => ExportMetricFamily[];
  /** Failed authentication per client address, on every surface; absent, nothing is limited. */
  authFailures?: AuthFailureLimiter;
}

/**
 * The collector's HTTP/1.1 app: OTLP/HTTP, token exchange, admin API and read API. Every error
 * is `{"error":{"code","message"}}` with the code also in `x-to11-error-code`.
 */
export function createHttpApp(deps: HttpAppDeps): Hono<AppEnv> {
  const { store, logger } = deps;
  const app = new Hono<AppEnv>();
  app.use(async function authFailuresMiddleware(c, next) {
    c.set('authFailures', deps.authFailures);
    await next();
  });
  app.route('/', otlpHttpRoute(deps));
  app.route('/', notSupportedRoute());
  app.route('/', tokenExchangeRoute(deps));
  app.route('/', projectsRoute(deps));
  app.route('/', limitsRoute(deps));
  app.route('/', keysRoute(deps));
  app.route('/', tracesRoute(deps));
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/metrics', (c) =>
    c.body(
      renderExportMetrics([
        ...deps.exportMetrics(),
        ...(deps.authFailures?.metricFamilies() ?? []),
      ]),
      200,
      {
        'content-type': 'text/plain; version=0.0.4; charset=utf-8',
      },
    ),
  );
  app.route('/', explorerStatic({ dir: resolveExplorerDir() }));

  app.notFound((c) => errorResponse(c, new CollectorError('not_found', 'no such endpoint')));
  app.onError(async (error, c) => {
    if (error instanceof CollectorError) return errorResponse(c, error);
    if (error instanceof StoreInputError) {
      return errorResponse(c, new CollectorError('bad_request', error.message));
    }
    // An unexpected failure is the store's when the store no longer answers: retryable.
    const detail = { err: { name: error.name, message: logSafeMessage(error) }, path: c.req.path };
    const answered = (await pingWithin(store, PING_TIMEOUT_MS))
      ? new CollectorError('internal', 'internal error')
      : new CollectorError(
          'unavailable',
          'the trace store is unavailable, retry later',
          RETRY_AFTER_SECONDS,
        );
    const answer = errorAnswer(answered);
    logger[answer.logLevel](
      detail,
      answered.code === 'internal' ? 'request failed' : 'store unavailable',
    );
    return respond(c, answer);
  });
  return app;
}

const PING_TIMEOUT_MS = 1000;

/** Whether the store answers within `ms` (a store that is down may not answer at all). */
async function pingWithin(store: Store, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const answer = await Promise.race([store.ping().catch(() => false), timeout]);
  clearTimeout(timer);
  return answer;
}

function errorResponse(c: Context<AppEnv>, error: CollectorError): Response {
  return respond(c, errorAnswer(error));
}

function respond(c: Context<AppEnv>, answer: ErrorAnswer): Response {
  return c.json(answer.body, answer.status, answer.headers);
}
