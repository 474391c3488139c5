/**
 * The collector's HTTP APIs a user's app and tools call: the ingest-token exchange (SPEC §3)
 * and the read API (SPEC §6, encoding in §9).
 */

/** A span as the read API returns it. */
export interface ReadSpan {
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  status: { code: 'UNSET' | 'OK' | 'ERROR'; message?: string };
  attributes: Record<string, unknown>;
  resource: { attributes: Record<string, unknown> };
  source: 'gateway' | 'otlp';
}

/** `GET /api/v1/traces/{traceId}`. */
export interface ReadTrace {
  traceId: string;
  spans: ReadSpan[];
}

/** Exchanges an API key for an ingest token (`POST /v1/ingest-token/exchange`). */
export async function exchangeIngestToken(httpUrl: string, apiKey: string): Promise<string> {
  const response = await fetch(`${httpUrl}/v1/ingest-token/exchange`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ credential: apiKey }),
  });
  if (response.status !== 200) {
    throw new Error(`token exchange answered ${response.status}: ${await response.text()}`);
  }
  const body = (await response.json()) as { token?: unknown };
  if (typeof body.token !== 'string') throw new Error('token exchange answered without a token');
  return body.token;
}

/** Reads one trace; null when the read API answers 404. */
export async function readTrace(
  httpUrl: string,
  apiKey: string,
  traceId: string,
): Promise<ReadTrace | null> {
  const response = await fetch(`${httpUrl}/api/v1/traces/${traceId}`, {
    headers: { authorization: `Bearer ${apiKey}` },
  });
  if (response.status === 404) return null;
  if (response.status !== 200) {
    throw new Error(`read API answered ${response.status}: ${await response.text()}`);
  }
  return (await response.json()) as ReadTrace;
}

/**
 * Polls the read API until the trace holds at least `minSpans` spans (gateway spans reach the
 * store through a batched writer, so they land shortly after the response), then returns it.
 */
export async function waitForTrace(
  httpUrl: string,
  apiKey: string,
  traceId: string,
  minSpans: number,
  timeoutMs = 15_000,
): Promise<ReadTrace> {
  const deadline = Date.now() + timeoutMs;
  let last: ReadTrace | null = null;
  while (Date.now() < deadline) {
    last = await readTrace(httpUrl, apiKey, traceId);
    if (last !== null && last.spans.length >= minSpans) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const seen = last === null ? 'no trace' : last.spans.map((span) => span.name).join(', ');
  throw new Error(
    `trace ${traceId}: expected ${minSpans} spans within ${timeoutMs} ms, saw: ${seen}`,
  );
}

/** One row of `GET /api/v1/traces` (SPEC §9 "Trace list"). */
export interface TraceSummary {
  traceId: string;
  rootName: string;
  spanCount: number;
  models: string[];
  providers: string[];
  inputTokens: number;
  outputTokens: number;
  cost: number | null;
  sessionId: string | null;
}

async function readJson<T>(url: string, apiKey: string): Promise<T> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${apiKey}` } });
  if (response.status !== 200) {
    throw new Error(`read API answered ${response.status}: ${await response.text()}`);
  }
  return (await response.json()) as T;
}

/** The newest traces of the key's project (`GET /api/v1/traces?limit=500`). */
export async function listTraces(httpUrl: string, apiKey: string): Promise<TraceSummary[]> {
  const body = await readJson<{ traces: TraceSummary[] }>(
    `${httpUrl}/api/v1/traces?limit=500`,
    apiKey,
  );
  return body.traces;
}

/** The project's totals over the last day (`GET /api/v1/dashboard`), each call counted once. */
export async function dashboardTotals(
  httpUrl: string,
  apiKey: string,
): Promise<{ calls: number; inputTokens: number; outputTokens: number; cost: number | null }> {
  const body = await readJson<{
    totals: { calls: number; inputTokens: number; outputTokens: number; cost: number | null };
  }>(`${httpUrl}/api/v1/dashboard`, apiKey);
  return body.totals;
}
