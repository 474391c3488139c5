/**
 * The embedded engine: PGlite (PostgreSQL in WASM), persisted in a directory or in memory, run
 * in a worker thread owned by this module (`pglite-worker.ts`). The serving thread builds the
 * SQL (drizzle) and hands each query, span batch or transaction step over as one message.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { lockDataDir } from './data-dir-lock.ts';
import type { Database } from './database.ts';
import { messageOf, StoreUnavailableError } from './errors.ts';
import {
  fromWireError,
  type PgliteWorkerData,
  type WorkerReply,
  type WorkerRequest,
} from './pglite-worker-protocol.ts';
import * as schema from './schema/index.ts';
import { UNNEST_INSERT_SQL, unnestParams } from './span-insert-sql.ts';

/** What drizzle passes to `PGlite.query`, and what it reads back. */
interface QueryOptions {
  rowMode?: 'array' | 'object';
  parsers?: Record<number, unknown>;
}
interface QueryResult {
  rows: unknown[];
  fields: unknown[];
  affectedRows?: number;
}

/** Called when the embedded engine dies after the store opened. Default: an uncaught error (exit 1). */
export type OnFatal = (error: StoreUnavailableError) => void;

/** The default `OnFatal`. */
export const throwUncaught: OnFatal = (error) => {
  process.nextTick(() => {
    throw error;
  });
};

/**
 * The worker: `pglite-worker.js` next to the bundle (scripts/bundle.mjs builds it), or the
 * TypeScript source next to this file, loaded through tsx's loader (tests and `tsx` runs; tsx
 * is a dev dependency of the repository, never needed by a bundle).
 */
function startWorker(workerData: PgliteWorkerData): Worker {
  const bundled = new URL('./pglite-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(bundled))) return new Worker(bundled, { workerData });
  const tsxApi = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const source = new URL('./pglite-worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(pathToFileURL(tsxApi).href)}).then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

/** The workers of the stores open in this process (`embeddedWorkers` in testing.ts). */
export const liveWorkers = new Set<Worker>();

/** A request before it has its id. */
type Outgoing = WorkerRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

/** The serving thread's end of the worker: request/reply by id, and the worker's fate. */
class WorkerLink {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(e: Error): void }>();
  #nextId = 1;
  #nextTx = 1;
  #stopped: StoreUnavailableError | null = null;
  #closing = false;
  readonly ready: Promise<void>;

  constructor(data: PgliteWorkerData, onFatal: OnFatal) {
    this.#worker = startWorker(data);
    liveWorkers.add(this.#worker);
    let opened = false;
    this.ready = new Promise<void>((ready, failed) => {
      this.#worker.on('message', (reply: WorkerReply) => {
        if ('ready' in reply) {
          if (reply.ready) {
            opened = true;
            ready();
          } else {
            this.#closing = true;
            failed(fromWireError(reply.error));
            void this.#worker.terminate();
          }
          return;
        }
        const pending = this.#pending.get(reply.id);
        if (pending === undefined) return;
        this.#pending.delete(reply.id);
        if (reply.ok) pending.resolve(reply.result);
        else pending.reject(fromWireError(reply.error));
      });
      const stop = (reason: string) => {
        liveWorkers.delete(this.#worker);
        if (this.#stopped !== null) return;
        this.#stopped = new StoreUnavailableError(
          `the embedded store's worker thread stopped (${reason}); the store in ${data.where} is closed`,
        );
        for (const pending of this.#pending.values()) pending.reject(this.#stopped);
        this.#pending.clear();
        if (!opened) failed(this.#stopped);
        else if (!this.#closing) onFatal(this.#stopped);
      };
      this.#worker.on('error', (error) => stop(messageOf(error)));
      this.#worker.on('exit', (code) => stop(`exit code ${code}`));
    });
  }

  newTransactionId(): number {
    return this.#nextTx++;
  }

  send(request: Outgoing): Promise<unknown> {
    if (this.#stopped !== null) return Promise.reject(this.#stopped);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...request, id });
    });
  }

  async close(): Promise<void> {
    if (this.#stopped === null && !this.#closing) {
      await this.send({ op: 'close' }).catch(() => undefined);
    }
    this.#closing = true;
    await this.#worker.terminate();
  }
}

/** The subset of PGlite's client that drizzle's PGlite driver calls. */
interface WorkerClient {
  query(text: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult>;
  transaction<T>(fn: (tx: WorkerClient) => Promise<T>): Promise<T>;
}

/** PGlite's client over the worker; `tx` set: the queries of that open transaction. */
function workerClient(link: WorkerLink, tx?: number): WorkerClient {
  return {
    query(text: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult> {
      const parsers = options?.parsers;
      return link.send({
        op: 'query',
        text,
        params,
        rowMode: options?.rowMode,
        // drizzle's parsers only keep some types as text; the worker applies the same.
        textOids: parsers === undefined ? undefined : Object.keys(parsers).map(Number),
        tx,
      }) as Promise<QueryResult>;
    },
    async transaction<T>(fn: (client: WorkerClient) => Promise<T>): Promise<T> {
      const id = link.newTransactionId();
      await link.send({ op: 'begin', tx: id });
      let result: T;
      try {
        result = await fn(workerClient(link, id));
      } catch (error) {
        await link.send({ op: 'end', tx: id, commit: false }).catch(() => undefined);
        throw error;
      }
      await link.send({ op: 'end', tx: id, commit: true });
      return result;
    },
  };
}

/**
 * Opens PGlite in `dataDir` (created if missing, locked to this process), or in memory for
 * `':memory:'`, in the store's worker thread; migrates when the schema is behind. `onFatal`
 * hears of the worker dying later (every pending and later query fails with the same error).
 */
export async function openPglite(
  dataDir: string,
  migrationsFolder: string,
  onFatal: OnFatal = throwUncaught,
): Promise<Database> {
  const inMemory = dataDir === ':memory:';
  const where = inMemory ? 'memory' : resolve(dataDir);
  let unlock: () => void = () => undefined;
  try {
    if (!inMemory) {
      mkdirSync(where, { recursive: true });
      unlock = lockDataDir(where);
    }
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error;
    throw new StoreUnavailableError(`cannot open the store in ${where}: ${messageOf(error)}`);
  }
  const link = new WorkerLink({ where, migrationsFolder }, onFatal);
  try {
    await link.ready;
  } catch (error) {
    unlock();
    throw new StoreUnavailableError(`cannot open the store in ${where}: ${messageOf(error)}`);
  }
  const client = workerClient(link);
  const db = drizzle({ client: client as unknown as PGlite, schema, casing: 'snake_case' });
  const rowsOf = <T>(result: Promise<QueryResult>) => result.then(({ rows }) => rows as T[]);
  return {
    engine: 'pglite',
    db,
    raw: {
      query<T extends object>(text: string, params?: unknown[]) {
        return rowsOf<T>(client.query(text, params));
      },
      transaction(fn) {
        return client.transaction((tx) =>
          fn({
            query<T extends object>(text: string, params?: unknown[]) {
              return rowsOf<T>(tx.query(text, params));
            },
          }),
        );
      },
    },
    async insertSpanRows(rows) {
      await client.query(UNNEST_INSERT_SQL, unnestParams(rows));
    },
    async close() {
      await link.close();
      unlock();
    },
  };
}
