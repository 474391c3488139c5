/**
 * Remembers that the store failed, so that reads which have a fallback (a stale cached answer)
 * stop waiting on it: while the store is down, a Postgres read fails only once postgres.js has
 * given up reconnecting (its backoff grows to 20 s), and every call would pay that wait. One
 * background probe at a time finds out when the store is back.
 */

/** Thrown by {@link OutageGate.read} instead of waiting on a store known to be down. */
export class StoreDownError extends Error {
  constructor() {
    super('the store is down (a background read checks when it is back)');
    this.name = 'StoreDownError';
  }
}

/** Gates the reads of one store client. */
export class OutageGate {
  #down = false;
  #probe: Promise<void> | null = null;

  /**
   * Runs `read`. When the last read failed and the caller has a fallback, throws
   * {@link StoreDownError} at once and runs `read` in the background as a probe instead.
   */
  async read<T>(read: () => Promise<T>, hasFallback: boolean): Promise<T> {
    if (this.#down && hasFallback) {
      this.#probe ??= read().then(
        () => {
          this.#down = false;
          this.#probe = null;
        },
        () => {
          this.#probe = null;
        },
      );
      throw new StoreDownError();
    }
    try {
      const value = await read();
      this.#down = false;
      return value;
    } catch (error) {
      this.#down = true;
      throw error;
    }
  }
}
