import type { Project, Store } from '@to11/store';
import { Hono } from 'hono';
import { z } from 'zod';
import { apiKeyAuth } from '../http/api-key-auth.ts';
import type { AppEnv } from '../http/env.ts';
import { jsonBody } from '../http/json-body.ts';

const createProjectBody = z.object({
  name: z
    .string({ error: 'required: the project name' })
    .trim()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters'),
});

function projectJson(project: Project): { id: string; name: string; createdAt: string } {
  return { id: project.id, name: project.name, createdAt: project.createdAt.toISOString() };
}

/**
 * Admin API for projects (SPEC §9): `GET /api/v1/projects` → `{"projects":[…]}`,
 * `POST /api/v1/projects` `{"name"}` → 201 `{"id","name","createdAt"}`. Needs `admin`, which acts
 * on the key's whole organization.
 */
export function projectsRoute(deps: { store: Store }): Hono<AppEnv> {
  const { store } = deps;
  return new Hono<AppEnv>()
    .use('/api/v1/projects', apiKeyAuth({ store, scope: 'admin', project: false }))
    .get('/api/v1/projects', async (c) => {
      const projects = await store.projects.list(c.var.principal.orgId);
      return c.json({ projects: projects.map(projectJson) });
    })
    .post('/api/v1/projects', async (c) => {
      const body = await jsonBody(c, createProjectBody);
      const project = await store.projects.create(c.var.principal.orgId, body.name);
      return c.json(projectJson(project), 201);
    });
}
