/**
 * The explorer's read views (read-api-contract): `GET /api/v1/sessions`,
 * `GET /api/v1/sessions/{sessionId}` and `GET /api/v1/dashboard`, scoped to the key's project
 * like the trace list. A session the project does not have is a 404.
 */
import type { Store } from '@to11/store';
import { Hono } from 'hono';
import { CollectorError } from '../errors.ts';
import { apiKeyAuth } from '../http/api-key-auth.ts';
import type { AppEnv } from '../http/env.ts';
import type { Parsed } from '../read-api/query-fields.ts';
import { traceSummaryToJson } from '../read-api/span-json.ts';
import { sessionToJson } from '../read-api/view-json.ts';
import { parseDashboardQuery, parseSessionsQuery } from '../read-api/view-queries.ts';

/** The parsed value, or the 400 naming the bad parameter. */
export function valueOrBadRequest<T>(parsed: Parsed<T>): T {
  if (parsed.status === 'invalid') throw new CollectorError('bad_request', parsed.message);
  return parsed.value;
}

/** Sessions and dashboard routes. */
export function viewsRoute(deps: { store: Store }): Hono<AppEnv> {
  const { store } = deps;
  const reader = apiKeyAuth({ store, scope: 'traces:read', project: true });
  return new Hono<AppEnv>()
    .use('/api/v1/sessions', reader)
    .use('/api/v1/sessions/*', reader)
    .use('/api/v1/dashboard', reader)
    .get('/api/v1/sessions', async (c) => {
      const filters = valueOrBadRequest(parseSessionsQuery(c.req.queries()));
      const page = await store.spans.listSessions(c.var.projectId, filters);
      return c.json({ sessions: page.sessions.map(sessionToJson), nextCursor: page.nextCursor });
    })
    .get('/api/v1/sessions/:sessionId', async (c) => {
      const sessionId = c.req.param('sessionId');
      const traces = await store.spans.getSession(c.var.projectId, sessionId);
      if (traces.length === 0) {
        throw new CollectorError('not_found', `session ${JSON.stringify(sessionId)} not found`);
      }
      return c.json({ sessionId, traces: traces.map(traceSummaryToJson) });
    })
    .get('/api/v1/dashboard', async (c) => {
      const query = valueOrBadRequest(parseDashboardQuery(c.req.queries()));
      return c.json(await store.spans.dashboard(c.var.projectId, query));
    });
}
