/**
 * Gives every `/v1/*` request an id, returned as `x-to11-request-id` on every answer (errors
 * and streams included) and written on the access log line (by the `/v1/*` chain, `trace.ts`).
 */
import { randomTraceId } from '@to11/trace-core';

/** A new request id: 32 random hex characters from trace-core's pooled generator (cheaper than a UUID). */
export function newRequestId(): string {
  return `req_${randomTraceId()}`;
}
