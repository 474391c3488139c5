/** Calls the read API with the signed-in key as a bearer header. */
import type { Dashboard, Session, SessionList, Trace, TraceFacets, TraceList } from './types.ts';

/** A non-2xx answer of the API, with its `{"error":{"code","message"}}` body when it had one. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  /** The key is wrong, expired or revoked (401), or lacks `traces:read` / the project (403). */
  get isAuth(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

async function getJson<T>(path: string, apiKey: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, {
    headers: { authorization: `Bearer ${apiKey}`, accept: 'application/json' },
    ...(signal ? { signal } : {}),
  });
  if (response.ok) return (await response.json()) as T;
  let code = 'http_error';
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    code = body.error?.code ?? code;
    message = body.error?.message ?? message;
  } catch {
    // A body that is not the API's JSON (a proxy's page): the status line says enough.
  }
  throw new ApiError(response.status, code, message);
}

/** `GET /api/v1/traces?…` with the query the filters made. */
export function fetchTraceList(
  query: URLSearchParams,
  apiKey: string,
  signal?: AbortSignal,
): Promise<TraceList> {
  return getJson<TraceList>(`/api/v1/traces?${query.toString()}`, apiKey, signal);
}

/** `GET /api/v1/traces/facets?since&until`: the values the filter pickers offer. */
export function fetchTraceFacets(
  query: URLSearchParams,
  apiKey: string,
  signal?: AbortSignal,
): Promise<TraceFacets> {
  return getJson<TraceFacets>(`/api/v1/traces/facets?${query.toString()}`, apiKey, signal);
}

/** `GET /api/v1/traces/{traceId}`. */
export function fetchTrace(traceId: string, apiKey: string, signal?: AbortSignal): Promise<Trace> {
  return getJson<Trace>(`/api/v1/traces/${encodeURIComponent(traceId)}`, apiKey, signal);
}

/** `GET /api/v1/sessions?…`. */
export function fetchSessions(
  query: URLSearchParams,
  apiKey: string,
  signal?: AbortSignal,
): Promise<SessionList> {
  return getJson<SessionList>(`/api/v1/sessions?${query.toString()}`, apiKey, signal);
}

/** `GET /api/v1/sessions/{sessionId}`. */
export function fetchSession(
  sessionId: string,
  apiKey: string,
  signal?: AbortSignal,
): Promise<Session> {
  return getJson<Session>(`/api/v1/sessions/${encodeURIComponent(sessionId)}`, apiKey, signal);
}

/** `GET /api/v1/dashboard?…`. */
export function fetchDashboard(
  query: URLSearchParams,
  apiKey: string,
  signal?: AbortSignal,
): Promise<Dashboard> {
  return getJson<Dashboard>(`/api/v1/dashboard?${query.toString()}`, apiKey, signal);
}
