/**
 * The batched span writer: a bounded in-memory queue drained in batches by size or age, with a
 * few batches in flight. Each `enqueue` gets a promise of the outcome of the batch(es) holding
 * its spans: 'ok' only after COMMIT, 'rejected' when the store refused them for their content
 * (never retried), 'unavailable' otherwise. It never rejects. A refused batch that holds the
 * spans of several enqueues is written again one enqueue at a time, so only the ones at fault
 * are rejected.
 */
import type { SpanRecord } from '@to11/trace-core';
import type { EnqueueResult, SpanWriter, SpanWriterOptions, WriteResult } from './types.ts';

const MAX_RETRY_DELAY_MS = 30_000;

/** Writes one batch; must resolve (never reject). */
export type BatchWrite = (spans: SpanRecord[]) => Promise<WriteResult>;

interface Ticket {
  spans: number;
  /** Batches holding some of its spans that have not settled yet. */
  inFlight: number;
  /** All its spans have been handed to batches. */
  taken: boolean;
  error: Error | null;
  /** Set when the store refused some of its spans for their content. */
  rejected: Error | null;
  resolve: (result: WriteResult) => void;
}

interface Pending {
  spans: SpanRecord[];
  offset: number;
  ticket: Ticket;
}

/** A writer over `write`; `defaultConcurrency` applies when the options do not set one. */
export function createSpanWriter(
  write: BatchWrite,
  options: SpanWriterOptions,
  defaultConcurrency: number,
): SpanWriter {
  const maxQueued = options.maxQueuedSpans ?? 10_000;
  const maxBatch = Math.max(1, options.maxBatchSpans ?? 512);
  const interval = options.flushIntervalMs ?? 200;
  const concurrency = Math.max(1, options.concurrency ?? defaultConcurrency);

  const pending: Pending[] = [];
  const unsettled = new Set<Promise<WriteResult>>();
  let waiting = 0;
  let writing = 0;
  let inFlight = 0;
  let forced = 0;
  let due = false;
  let closed = false;
  let timer: NodeJS.Timeout | null = null;

  let rejectedSpans = 0;

  function settle(ticket: Ticket): void {
    if (!ticket.taken || ticket.inFlight > 0) return;
    if (ticket.rejected !== null) {
      rejectedSpans += ticket.spans;
      ticket.resolve({ status: 'rejected', error: ticket.rejected });
      return;
    }
    ticket.resolve(
      ticket.error === null
        ? { status: 'ok', written: ticket.spans }
        : { status: 'unavailable', error: ticket.error },
    );
  }

  /** The next batch, with the spans of each ticket in it. */
  function takeBatch(): { spans: SpanRecord[]; tickets: Map<Ticket, SpanRecord[]> } {
    const spans: SpanRecord[] = [];
    const tickets = new Map<Ticket, SpanRecord[]>();
    while (spans.length < maxBatch) {
      const head = pending[0];
      if (head === undefined) break;
      const count = Math.min(maxBatch - spans.length, head.spans.length - head.offset);
      let own = tickets.get(head.ticket);
      if (own === undefined) {
        own = [];
        tickets.set(head.ticket, own);
        head.ticket.inFlight++;
      }
      for (let i = 0; i < count; i++) {
        const span = head.spans[head.offset + i];
        if (span !== undefined) {
          spans.push(span);
          own.push(span);
        }
      }
      head.offset += count;
      if (head.offset >= head.spans.length) {
        head.ticket.taken = true;
        pending.shift();
      }
    }
    return { spans, tickets };
  }

  const retryDelayMs = options.retryDelayMs ?? 0;
  /** Wakes every batch waiting to retry: close() stops retrying. */
  const retryWakers = new Set<() => void>();

  function retryPause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        retryWakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      retryWakers.add(wake);
    });
  }

  async function writeBatch(spans: SpanRecord[]): Promise<WriteResult> {
    for (let delay = retryDelayMs; ; delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS)) {
      const result = await write(spans).catch(
        (error: unknown): WriteResult => ({
          status: 'unavailable',
          error: error instanceof Error ? error : new Error(String(error)),
        }),
      );
      if (result.status !== 'unavailable' || retryDelayMs <= 0 || closed) return result;
      await retryPause(delay);
      if (closed) return result;
    }
  }

  function dispatch(): void {
    const { spans, tickets } = takeBatch();
    waiting -= spans.length;
    writing += spans.length;
    inFlight++;
    void writeBatch(spans)
      .then(async (result) => {
        if (result.status !== 'rejected' || tickets.size === 1) {
          return [...tickets.keys()].map((ticket) => [ticket, result] as const);
        }
        const each: (readonly [Ticket, WriteResult])[] = [];
        for (const [ticket, own] of tickets) each.push([ticket, await writeBatch(own)]);
        return each;
      })
      .then((results) => {
        inFlight--;
        writing -= spans.length;
        for (const [ticket, result] of results) {
          ticket.inFlight--;
          if (result.status === 'rejected') ticket.rejected = result.error;
          else if (result.status === 'unavailable') ticket.error = result.error;
          settle(ticket);
        }
        pump();
      });
  }

  function pump(): void {
    while (inFlight < concurrency && waiting > 0 && (waiting >= maxBatch || due || forced > 0)) {
      dispatch();
    }
    if (waiting === 0) due = false;
    if (waiting > 0 && !due && timer === null) {
      timer = setTimeout(() => {
        timer = null;
        due = true;
        pump();
      }, interval);
      timer.unref();
    }
  }

  return {
    enqueue(spans): EnqueueResult {
      if (closed || waiting + writing + spans.length > maxQueued) return { status: 'overflow' };
      if (spans.length === 0) {
        return { status: 'queued', committed: Promise.resolve({ status: 'ok', written: 0 }) };
      }
      let resolve: (result: WriteResult) => void = () => {};
      const committed = new Promise<WriteResult>((r) => {
        resolve = r;
      });
      const ticket: Ticket = {
        spans: spans.length,
        inFlight: 0,
        taken: false,
        error: null,
        rejected: null,
        resolve,
      };
      unsettled.add(committed);
      void committed.then(() => unsettled.delete(committed));
      pending.push({ spans, offset: 0, ticket });
      waiting += spans.length;
      pump();
      return { status: 'queued', committed };
    },
    get queuedSpans() {
      return waiting + writing;
    },
    get rejectedSpans() {
      return rejectedSpans;
    },
    async flush() {
      forced++;
      try {
        pump();
        await Promise.all([...unsettled]);
      } finally {
        forced--;
      }
    },
    async close() {
      closed = true;
      for (const wake of [...retryWakers]) wake();
      await this.flush();
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
