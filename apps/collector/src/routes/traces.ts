import type { Store } from '@to11/store';
import { Hono } from 'hono';
import { CollectorError } from '../errors.ts';
import { apiKeyAuth } from '../http/api-key-auth.ts';
import type { AppEnv } from '../http/env.ts';
import { spanToJson, traceSummaryToJson } from '../read-api/span-json.ts';
import { parseTraceListQuery } from '../read-api/trace-list-query.ts';
import { parseFacetsQuery } from '../read-api/view-queries.ts';
import { valueOrBadRequest, viewsRoute } from './views.ts';

const TRACE_ID = /^[0-9a-f]{32}$/;

/**
 * Read API (SPEC §6, §9): `GET /api/v1/traces/{traceId}` → `{"traceId","spans":[…]}` and
 * `GET /api/v1/traces?…` → `{"traces":[…],"nextCursor"}`, scoped to the key's project.
 * A trace the project does not have is a 404, never an empty 200. Also mounts the explorer's
 * views: `GET /api/v1/traces/facets`, sessions and dashboard (views.ts).
 */
export function tracesRoute(deps: { store: Store }): Hono<AppEnv> {
  const { store } = deps;
  const reader = apiKeyAuth({ store, scope: 'traces:read', project: true });
  return new Hono<AppEnv>()
    .use('/api/v1/traces', reader)
    .use('/api/v1/traces/*', reader)
    .get('/api/v1/traces', async (c) => {
      const query = parseTraceListQuery(c.req.queries());
      if (query.status === 'invalid') throw new CollectorError('bad_request', query.message);
      const page = await store.spans.listTraces(c.var.projectId, query.filters);
      return c.json({ traces: page.traces.map(traceSummaryToJson), nextCursor: page.nextCursor });
    })
    .get('/api/v1/traces/facets', async (c) => {
      const range = valueOrBadRequest(parseFacetsQuery(c.req.queries()));
      return c.json(await store.spans.facets(c.var.projectId, range));
    })
    .get('/api/v1/traces/:traceId', async (c) => {
      const traceId = c.req.param('traceId').toLowerCase();
      if (!TRACE_ID.test(traceId) || /^0+$/.test(traceId)) {
        throw new CollectorError('bad_request', 'traceId: must be 32 hex characters, not all zero');
      }
      const spans = await store.spans.getTrace(c.var.projectId, traceId);
      if (spans.length === 0) throw new CollectorError('not_found', `trace ${traceId} not found`);
      return c.json({ traceId, spans: spans.map(spanToJson) });
    })
    .route('/', viewsRoute(deps));
}
