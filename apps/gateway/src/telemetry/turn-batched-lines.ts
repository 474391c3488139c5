/**
 * Log lines collected during one event-loop turn and handed to the destination in one write
 * when the turn is over (`setImmediate`).
 *
 * Why: the access log is one line per request. Under load several requests end in the same
 * turn, and their lines now share one write. A line waits at most until the end of the turn it
 * was logged in; `flush()` writes the rest at once (the logger calls it on process exit).
 */

/** Where the batched text goes (the gateway's: node's `process.stdout`). */
export interface LineSink {
  write(text: string): unknown;
}

/** A pino destination that batches the lines of one event-loop turn. */
export class TurnBatchedLines {
  #pending = '';
  #scheduled = false;
  readonly #sink: LineSink;
  readonly #flushLater = (): void => {
    this.#scheduled = false;
    this.flush();
  };

  constructor(sink: LineSink) {
    this.#sink = sink;
  }

  /** Adds one line (pino passes it with its newline). */
  write(line: string): boolean {
    this.#pending += line;
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#flushLater);
    }
    return true;
  }

  /** Writes every pending line now (pino's `logger.flush(callback)` calls this). */
  flush(callback?: (error?: Error) => void): void {
    if (this.#pending !== '') {
      const text = this.#pending;
      this.#pending = '';
      this.#sink.write(text);
    }
    callback?.();
  }
}
