/** The opaque `nextCursor` of the trace list: the last row's (start, trace id), base64url JSON. */
import { StoreInputError } from './errors.ts';

/** Where the next page starts: traces strictly before this (start, trace id). */
export interface TraceCursor {
  startTimeUnixNano: bigint;
  traceId: string;
}

/** Encodes a cursor. */
export function encodeTraceCursor(cursor: TraceCursor): string {
  const json = JSON.stringify([cursor.startTimeUnixNano.toString(), cursor.traceId]);
  return Buffer.from(json).toString('base64url');
}

/** Decodes a cursor; throws `StoreInputError` for anything `encodeTraceCursor` did not make. */
export function decodeTraceCursor(cursor: string): TraceCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2) {
      const [start, traceId] = value;
      if (typeof start === 'string' && /^\d{1,19}$/.test(start) && typeof traceId === 'string') {
        if (/^[0-9a-f]{32}$/.test(traceId)) return { startTimeUnixNano: BigInt(start), traceId };
      }
    }
  } catch {
    // fall through to the error below
  }
  throw new StoreInputError('invalid cursor');
}
