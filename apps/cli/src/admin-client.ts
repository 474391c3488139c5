import { z } from 'zod';
import type { ApiTarget, CreateKeyBody } from './cli-args.ts';
import { CliError } from './cli-error.ts';
import { type LimitsBody, type LimitsSubject, limitsPath } from './limits-args.ts';

const projectSchema = z.object({ id: z.string(), name: z.string(), createdAt: z.string() });
const keySchema = z.object({
  id: z.string(),
  name: z.string().nullish(),
  prefix: z.string(),
  scopeClass: z.string(),
  projectId: z.string().nullable(),
  scopes: z.array(z.string()),
  expiresAt: z.string().nullish(),
  revokedAt: z.string().nullish(),
  createdAt: z.string().nullish(),
});
const createdKeySchema = keySchema.extend({ key: z.string() });
const limitValue = z.number().nullable();
const limitsSchema = z.object({
  subject: z.object({ kind: z.string(), id: z.string() }),
  limits: z.record(z.string(), limitValue),
  usage: z.record(z.string(), z.object({ used: z.number(), resetsAt: z.string() })).nullable(),
});
const traceSummarySchema = z.object({
  traceId: z.string(),
  rootName: z.string().nullable(),
  startTimeUnixNano: z.string(),
  durationMs: z.number(),
  spanCount: z.number(),
  status: z.string(),
  models: z.array(z.string()),
  providers: z.array(z.string()),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cost: z.number().nullable(),
  sessionId: z.string().nullable(),
});
const traceListSchema = z.object({
  traces: z.array(traceSummarySchema),
  nextCursor: z.string().nullable(),
});
const spanSchema = z.object({
  spanId: z.string(),
  parentSpanId: z.string().nullable(),
  name: z.string(),
  startTimeUnixNano: z.string(),
  endTimeUnixNano: z.string(),
  status: z.object({ code: z.string(), message: z.string().optional() }),
  attributes: z.record(z.string(), z.unknown()),
  source: z.string().optional(),
});
const traceSchema = z.object({ traceId: z.string(), spans: z.array(spanSchema) });
const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** A subject's limits and usage as the admin API answers them. */
export type LimitsView = z.infer<typeof limitsSchema>;
/** A project as the admin API lists it. */
export type ProjectView = z.infer<typeof projectSchema>;
/** An API key as the admin API lists it (no secret). */
export type KeyView = z.infer<typeof keySchema>;
/** The answer to a key creation: the listing fields plus the secret, shown once. */
export type CreatedKeyView = z.infer<typeof createdKeySchema>;

/** One row of `GET /api/v1/traces` (the fields the table shows). */
export type TraceSummaryView = z.infer<typeof traceSummarySchema>;
/** One span of `GET /api/v1/traces/{traceId}` (the fields the tree shows). */
export type SpanView = z.infer<typeof spanSchema>;

/** A parsed answer together with the exact JSON text the API sent (for `--json`). */
export interface Answer<T> {
  data: T;
  raw: string;
}

const TIMEOUT_MS = 30_000;

/**
 * A thin client of the collector's admin and read API (SPEC §9). Every failure (unreachable server,
 * timeout, error answer, unexpected body) throws a `CliError` with one printable line; the API
 * key travels only in the Authorization header and never appears in a message.
 */
export function createAdminClient(target: ApiTarget, fetchImpl: typeof fetch = fetch) {
  async function call(method: string, path: string, body?: unknown): Promise<string> {
    const headers: Record<string, string> = { authorization: `Bearer ${target.apiKey}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetchImpl(`${target.url}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new CliError(`cannot reach ${target.url}: ${networkReason(error)}`);
    }
    const text = await response.text();
    if (!response.ok) throw new CliError(errorLine(response, text));
    return text;
  }

  async function parse<T>(schema: z.ZodType<T>, method: string, path: string, body?: unknown) {
    const raw = await call(method, path, body);
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new CliError(`unexpected answer from ${method} ${path}: not JSON`);
    }
    const result = schema.safeParse(json);
    if (!result.success)
      throw new CliError(
        `unexpected answer from ${method} ${path}: ${result.error.issues[0]?.message ?? 'invalid shape'}`,
      );
    return { data: result.data, raw } satisfies Answer<T>;
  }

  return {
    /** `GET /api/v1/projects`. */
    listProjects: () =>
      parse(z.object({ projects: z.array(projectSchema) }), 'GET', '/api/v1/projects'),
    /** `POST /api/v1/projects`. */
    createProject: (name: string) => parse(projectSchema, 'POST', '/api/v1/projects', { name }),
    /** `GET /api/v1/keys[?projectId=]`. */
    listKeys: (projectId: string | null) =>
      parse(
        z.object({ keys: z.array(keySchema) }),
        'GET',
        projectId === null
          ? '/api/v1/keys'
          : `/api/v1/keys?projectId=${encodeURIComponent(projectId)}`,
      ),
    /** `POST /api/v1/keys`; the answer holds the secret. */
    createKey: (body: CreateKeyBody) => parse(createdKeySchema, 'POST', '/api/v1/keys', body),
    /** `GET /api/v1/traces?…` (read API, `traces:read`). */
    listTraces: (query: URLSearchParams) =>
      parse(traceListSchema, 'GET', `/api/v1/traces${query.size > 0 ? `?${query}` : ''}`),
    /** `GET /api/v1/traces/{traceId}`. */
    getTrace: (traceId: string) =>
      parse(traceSchema, 'GET', `/api/v1/traces/${encodeURIComponent(traceId)}`),
    /** `DELETE /api/v1/keys/{id|prefix}` → 204. */
    revokeKey: async (idOrPrefix: string): Promise<void> => {
      await call('DELETE', `/api/v1/keys/${encodeURIComponent(idOrPrefix)}`);
    },
    /** `GET /api/v1/limits?projectId=` or `GET /api/v1/keys/{id}/limits`. */
    showLimits: (subject: LimitsSubject) => parse(limitsSchema, 'GET', limitsPath(subject)),
    /** `PUT` on the same path. */
    setLimits: (subject: LimitsSubject, body: LimitsBody) =>
      parse(limitsSchema, 'PUT', limitsPath(subject), body),
  };
}

/** The admin client's operations. */
export type AdminClient = ReturnType<typeof createAdminClient>;

function errorLine(response: Response, text: string): string {
  try {
    const parsed = errorSchema.safeParse(JSON.parse(text));
    if (parsed.success) {
      return `${response.status} ${parsed.data.error.code}: ${parsed.data.error.message}`;
    }
  } catch {
    // Not JSON: fall back to the status line below.
  }
  return `${response.status} ${response.statusText || 'error'}`.trim();
}

/** fetch wraps the socket error in `cause` (an AggregateError when several addresses failed). */
function networkReason(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return `no answer within ${TIMEOUT_MS / 1000} s`;
  }
  const cause = error instanceof Error ? error.cause : undefined;
  const candidates = [cause, ...(cause instanceof AggregateError ? cause.errors : []), error];
  for (const candidate of candidates) {
    if (candidate instanceof Error && candidate.message !== '') return candidate.message;
    const code = (candidate as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string') return code;
  }
  return 'request failed';
}
