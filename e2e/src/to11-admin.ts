/** The admin API calls a test needs to set up a second project (SPEC §9 "Admin API"). */

async function post<T>(httpUrl: string, apiKey: string, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${httpUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) {
    throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
  }
  return (await response.json()) as T;
}

/** Creates a project and a project key with `scopes` in it; returns the key's secret. */
export async function createProjectKey(
  httpUrl: string,
  adminKey: string,
  name: string,
  scopes: string[],
): Promise<{ projectId: string; key: string }> {
  const project = await post<{ id: string }>(httpUrl, adminKey, '/api/v1/projects', { name });
  const created = await post<{ key: string }>(httpUrl, adminKey, '/api/v1/keys', {
    scopeClass: 'project',
    projectId: project.id,
    scopes,
  });
  return { projectId: project.id, key: created.key };
}
