/**
 * The Postgres span write path, in one transaction on one reserved connection:
 *
 * 1. Fast path: under a savepoint, COPY the rows straight into `spans` (what raw COPY costs).
 * 2. If the server rejects it (a re-sent span hits the primary key, a partition is missing...),
 *    roll back to the savepoint and take the idempotent path: COPY into a session-local all-text
 *    staging table (no value can make that COPY fail), then one
 *    `INSERT … SELECT … ON CONFLICT DO NOTHING`.
 *
 * postgres.js never settles a COPY the server rejects (STACK.md), so the outcome is read from a
 * probe query queued right behind it, which fails when the COPY aborted the transaction. A
 * reserved connection (not `sql.begin`) is used because an expected query failure inside
 * `sql.begin` fails the whole transaction.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type postgres from 'postgres';
import {
  COPY_SPANS_SQL,
  COPY_STAGE_SQL,
  CREATE_STAGE_SQL,
  copyText,
  INSERT_FROM_STAGE_SQL,
} from './span-insert-sql.ts';
import type { SpanTextRow } from './span-row.ts';

/** Rows per CopyData message. */
const CHUNK_ROWS = 64;
/** Longest a COPY may stream before it is aborted and the write reported failed. */
const COPY_TIMEOUT_MS = 30_000;

const isCopyInProgress = (error: unknown) =>
  typeof error === 'object' &&
  error !== null &&
  (error as { code?: unknown }).code === 'COPY_IN_PROGRESS';

/**
 * Streams `rows` through `query` (a COPY … FROM STDIN) and answers whether the server accepted
 * it. The probe is refused with COPY_IN_PROGRESS until postgres.js has sent CopyDone; once
 * queued, it runs after the COPY completes.
 */
async function copySettled(
  conn: postgres.ReservedSql,
  query: string,
  rows: SpanTextRow[],
): Promise<boolean> {
  const deadline = Date.now() + COPY_TIMEOUT_MS;
  const stream = await conn.unsafe(query).writable();
  const finished = once(stream, 'finish').then(
    () => true,
    () => false,
  );
  const timedOut = () => {
    // Sends CopyFail, so the connection leaves COPY mode before it is released.
    stream.destroy(new Error('span COPY timed out'));
    return new Error(`span COPY timed out after ${COPY_TIMEOUT_MS} ms`);
  };
  let timer: NodeJS.Timeout | undefined;
  const sent = await new Promise<boolean>((resolve, reject) => {
    timer = setTimeout(() => reject(timedOut()), COPY_TIMEOUT_MS);
    // A rejection mid-stream: postgres.js got the server's error and destroyed the stream.
    sendRows(stream, rows).then(
      () => resolve(true),
      () => resolve(false),
    );
  }).finally(() => clearTimeout(timer));
  if (!sent) return false;
  // The data is with the socket: end() sends CopyDone within a tick or two.
  stream.end();
  for (let attempt = 0; ; attempt++) {
    try {
      await conn.unsafe('select 1');
      return await finished;
    } catch (error) {
      if (!isCopyInProgress(error)) return false;
      if (Date.now() > deadline) throw timedOut();
      // A few quick turns cover the usual case; then back off so a slow socket costs no CPU.
      await (attempt < 20 ? nextTurn() : sleep(1));
    }
  }
}

/**
 * Encodes and sends rows a chunk at a time, so the server inserts while the rest is encoded and
 * no batch-sized string lives long enough to burden the garbage collector.
 */
async function sendRows(stream: Writable, rows: SpanTextRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    const chunk = copyText(rows.slice(start, start + CHUNK_ROWS));
    if (start + CHUNK_ROWS >= rows.length) {
      await new Promise<void>((resolve, reject) =>
        stream.write(chunk, (error) => (error ? reject(error) : resolve())),
      );
    } else if (!stream.write(chunk)) {
      await once(stream, 'drain');
    }
  }
}

async function copyWithFallback(conn: postgres.ReservedSql, rows: SpanTextRow[]): Promise<void> {
  await conn.unsafe('SAVEPOINT span_copy');
  if (await copySettled(conn, COPY_SPANS_SQL, rows)) {
    await conn.unsafe('RELEASE SAVEPOINT span_copy');
    return;
  }
  await conn.unsafe('ROLLBACK TO SAVEPOINT span_copy');
  await conn.unsafe(CREATE_STAGE_SQL);
  if (!(await copySettled(conn, COPY_STAGE_SQL, rows))) {
    throw new Error('COPY into the span staging table failed');
  }
  await conn.unsafe(INSERT_FROM_STAGE_SQL);
}

/** Writes `rows` in one transaction on its own connection; rows already stored are skipped. */
export async function copySpanRows(sql: postgres.Sql, rows: SpanTextRow[]): Promise<void> {
  const conn = await sql.reserve();
  try {
    await conn.unsafe('BEGIN');
    try {
      await copyWithFallback(conn, rows);
      await conn.unsafe('COMMIT');
    } catch (error) {
      await conn.unsafe('ROLLBACK').catch(() => {});
      throw error;
    }
  } finally {
    conn.release();
  }
}
