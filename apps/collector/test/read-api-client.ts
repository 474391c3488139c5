/** Reads traces back through the collector's read API, as a user would. */
import type { Harness } from './harness.ts';

/** The parsed answer of `GET /api/v1/traces/{traceId}`. */
export interface TraceReply {
  status: number;
  body: { traceId?: string; spans?: Record<string, unknown>[]; error?: { code: string } };
}

/** `GET /api/v1/traces/{traceId}` with `key` (default: the bootstrap key). */
export async function readTrace(
  harness: Harness,
  traceId: string,
  key: string = harness.adminKey,
  headers: Record<string, string> = {},
): Promise<TraceReply> {
  const response = await harness.http(`/api/v1/traces/${traceId}`, {
    headers: { authorization: `Bearer ${key}`, ...headers },
  });
  return { status: response.status, body: (await response.json()) as TraceReply['body'] };
}
