/**
 * Messages between the serving thread and the PGlite worker (`pglite-worker.ts`). Queries carry
 * only structured-clonable values; a transaction is opened with `begin`, its queries name it
 * with `tx`, and `end` commits or rolls it back, so drizzle's transactions keep their meaning
 * across the thread boundary (PGlite queues other queries behind an open transaction).
 */

/** What the worker is started with (`workerData`). */
export interface PgliteWorkerData {
  /** An absolute directory, or `'memory'`. */
  where: string;
  migrationsFolder: string;
}

export type WorkerRequest =
  | {
      id: number;
      op: 'query';
      text: string;
      params: unknown[] | undefined;
      /** drizzle's `rowMode`. */
      rowMode: 'array' | 'object' | undefined;
      /** Types to return as text (drizzle parses dates and intervals itself). */
      textOids: number[] | undefined;
      tx: number | undefined;
    }
  | { id: number; op: 'begin'; tx: number }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'close' };

/** An error's name, message and primitive fields (PGlite's `code`, `detail`, `constraint`…). */
export type WireError = { name: string; message: string } & Record<string, unknown>;

export type WorkerReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: WireError }
  /** Sent once: the database is open and migrated. */
  | { id: 0; ready: true }
  | { id: 0; ready: false; error: WireError };

export function toWireError(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const wire: WireError = { name: error.name, message: error.message };
  for (const [key, value] of Object.entries(error)) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
      wire[key] = value;
    }
  }
  return wire;
}

export function fromWireError(wire: WireError): Error {
  const { name, message, ...fields } = wire;
  const error = Object.assign(new Error(message), fields);
  Object.defineProperty(error, 'name', { value: name, enumerable: false });
  return error;
}
