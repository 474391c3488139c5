/**
 * Admin API for rate limits and budgets (SPEC §10 "Shared state"), org-bound like the rest of
 * the admin API (`admin` scope, the key's organization only):
 *
 * - `GET /api/v1/limits?projectId=proj_…` and `GET /api/v1/keys/{id}/limits` → the stored limits
 *   of that project or key and, with `REDIS_URL`, its usage in the current windows.
 * - `PUT` on the same paths with `{"requests_per_minute": 60, "usd_per_day": 5, …}` → the new
 *   stored limits. A field left out keeps its value; `null` clears it (the gateway's
 *   `[limits.key]` / `[limits.project]` default, if any, then applies).
 */
import {
  counterKey,
  counterValue,
  LIMIT_METRICS,
  type LimitSettings,
  type LimitSubject,
  type Store,
  windowOf,
} from '@to11/store';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { CollectorError } from '../errors.ts';
import { apiKeyAuth } from '../http/api-key-auth.ts';
import type { AppEnv } from '../http/env.ts';
import { jsonBody } from '../http/json-body.ts';
import type { CollectorSharedState } from '../shared-state/shared-state.ts';

const count = z
  .int('must be a whole number')
  .positive('must be above 0')
  .max(1_000_000_000)
  .nullable();
const usd = z.number('must be a number').positive('must be above 0').max(1_000_000_000).nullable();

const putLimitsBody = z.strictObject(
  {
    requests_per_minute: count.optional(),
    tokens_per_minute: count.optional(),
    usd_per_day: usd.optional(),
    usd_per_month: usd.optional(),
  },
  { error: `unknown field: the limits are ${LIMIT_METRICS.join(', ')}` },
);

/** The subject a request names, checked to be of the caller's organization. */
interface Subject {
  kind: LimitSubject;
  id: string;
  orgId: string;
}

async function projectSubject(c: Context<AppEnv>, store: Store): Promise<Subject> {
  const projectId = c.req.query('projectId');
  if (!projectId) throw new CollectorError('bad_request', 'projectId: required query parameter');
  const project = await store.projects.get(projectId);
  const { orgId } = c.var.principal;
  if (project === null || project.orgId !== orgId) {
    throw new CollectorError('not_found', 'projectId: no such project in this organization');
  }
  return { kind: 'project', id: project.id, orgId };
}

async function keySubject(c: Context<AppEnv>, store: Store): Promise<Subject> {
  const target = c.req.param('id') ?? '';
  const { orgId } = c.var.principal;
  const key = (await store.keys.list(orgId)).find((k) => k.id === target || k.prefix === target);
  if (key === undefined)
    throw new CollectorError('not_found', 'no such API key in this organization');
  return { kind: 'key', id: key.id, orgId };
}

/** Usage of each metric in its current window; null without Redis (counters per gateway process). */
async function usageOf(subject: Subject, shared: CollectorSharedState | undefined) {
  if (!shared) return null;
  const now = Date.now();
  const keys = LIMIT_METRICS.map((metric) => counterKey(shared.keyPrefix, subject.id, metric, now));
  let counted: (string | null)[];
  try {
    counted = await shared.redis.mget(...keys);
  } catch {
    throw new CollectorError('unavailable', 'limit usage cannot be read: Redis is unavailable', 1);
  }
  return Object.fromEntries(
    LIMIT_METRICS.map((metric, i) => {
      const window = windowOf(metric, now);
      return [
        metric,
        {
          used: counterValue(metric, Number(counted[i] ?? 0)),
          windowStart: new Date(window.startMs).toISOString(),
          resetsAt: new Date(window.endMs).toISOString(),
        },
      ];
    }),
  );
}

async function limitsJson(
  store: Store,
  subject: Subject,
  shared: CollectorSharedState | undefined,
) {
  const limits = (await store.limits.get([subject.id])).get(subject.id);
  return {
    subject: { kind: subject.kind, id: subject.id },
    limits,
    usage: await usageOf(subject, shared),
  };
}

async function putLimits(
  c: Context<AppEnv>,
  store: Store,
  subject: Subject,
  shared: CollectorSharedState | undefined,
) {
  const body = await jsonBody(c, putLimitsBody);
  const current = (await store.limits.get([subject.id])).get(subject.id) as LimitSettings;
  const settings: LimitSettings = { ...current };
  for (const metric of LIMIT_METRICS) {
    const value = body[metric];
    if (value !== undefined) settings[metric] = value;
  }
  await store.limits.set({
    orgId: subject.orgId,
    subjectKind: subject.kind,
    subjectId: subject.id,
    settings,
  });
  return c.json(await limitsJson(store, subject, shared));
}

/** The limits routes. */
export function limitsRoute(deps: { store: Store; shared?: CollectorSharedState }): Hono<AppEnv> {
  const { store, shared } = deps;
  const admin = apiKeyAuth({ store, scope: 'admin', project: false });
  return new Hono<AppEnv>()
    .use('/api/v1/limits', admin)
    .use('/api/v1/keys/:id/limits', admin)
    .get('/api/v1/limits', async (c) =>
      c.json(await limitsJson(store, await projectSubject(c, store), shared)),
    )
    .put('/api/v1/limits', async (c) => putLimits(c, store, await projectSubject(c, store), shared))
    .get('/api/v1/keys/:id/limits', async (c) =>
      c.json(await limitsJson(store, await keySubject(c, store), shared)),
    )
    .put('/api/v1/keys/:id/limits', async (c) =>
      putLimits(c, store, await keySubject(c, store), shared),
    );
}
