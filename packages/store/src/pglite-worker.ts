/**
 * The PGlite worker thread (entry point; `dist/pglite-worker.js` in an app bundle). It owns the
 * embedded database: opens and migrates it, then answers the serving thread's queries one
 * message at a time, so Postgres's CPU and emscripten's file-system syscalls stay off the thread
 * that serves HTTP. Replies are sent only after PGlite returned, i.e. after a commit's WAL write.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { openPgliteClient } from './pglite-open.ts';
import {
  type PgliteWorkerData,
  toWireError,
  type WorkerReply,
  type WorkerRequest,
} from './pglite-worker-protocol.ts';

const port = parentPort;
if (port === null) throw new Error('pglite-worker.ts runs as a worker thread');
const { where, migrationsFolder } = workerData as PgliteWorkerData;
const reply = (message: WorkerReply) => port.postMessage(message);

/** Open transactions: PGlite's transaction object, and how to end it. */
const transactions = new Map<number, { tx: Transaction; end: (commit: boolean) => void }>();
const identity = (value: unknown) => value;

async function handle(client: PGlite, request: WorkerRequest): Promise<unknown> {
  switch (request.op) {
    case 'query': {
      const { text, params, rowMode, textOids, tx } = request;
      const target = tx === undefined ? client : transactions.get(tx)?.tx;
      if (target === undefined) throw new Error(`transaction ${tx} is not open`);
      const parsers =
        textOids === undefined
          ? undefined
          : Object.fromEntries(textOids.map((oid) => [oid, identity]));
      const result = await target.query(text, params, { rowMode, parsers });
      return { rows: result.rows, fields: result.fields, affectedRows: result.affectedRows };
    }
    case 'begin': {
      const { tx } = request;
      const rollback = new Error('rollback');
      return new Promise<void>((opened, failed) => {
        let isOpen = false;
        // Settles on `end` (committed, or rolled back on purpose); the reply to `end` reports it.
        const done = client
          .transaction(async (transaction) => {
            const commit = await new Promise<boolean>((end) => {
              transactions.set(tx, { tx: transaction, end });
              isOpen = true;
              opened();
            });
            if (!commit) throw rollback;
          })
          .then(
            () => undefined,
            (error: unknown) => {
              if (error !== rollback) throw error;
            },
          );
        ended.set(tx, done);
        done.catch((error: unknown) => {
          if (isOpen) return;
          ended.delete(tx);
          failed(error);
        });
      });
    }
    case 'end': {
      const open = transactions.get(request.tx);
      const settled = ended.get(request.tx);
      if (open === undefined || settled === undefined) {
        throw new Error(`transaction ${request.tx} is not open`);
      }
      transactions.delete(request.tx);
      ended.delete(request.tx);
      open.end(request.commit);
      return settled;
    }
    case 'close':
      await client.close();
      return undefined;
  }
}

/** The promise of each open transaction, settled once it committed or rolled back. */
const ended = new Map<number, Promise<void>>();

try {
  const client = await openPgliteClient(where, migrationsFolder);
  port.on('message', (request: WorkerRequest) => {
    handle(client, request).then(
      (result) => reply({ id: request.id, ok: true, result }),
      (error: unknown) => reply({ id: request.id, ok: false, error: toWireError(error) }),
    );
  });
  reply({ id: 0, ready: true });
} catch (error) {
  // The serving thread terminates this worker on this reply.
  reply({ id: 0, ready: false, error: toWireError(error) });
}
