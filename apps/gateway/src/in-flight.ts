/**
 * Counts requests still being answered (streams included) so a graceful shutdown can wait
 * for them.
 */
export class InFlight {
  #count = 0;
  #waiters: (() => void)[] = [];

  /** Requests not finished yet. */
  get count(): number {
    return this.#count;
  }

  /** One more request; call the returned function once when it is finished. */
  begin(): () => void {
    this.#count += 1;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#count -= 1;
      if (this.#count === 0) {
        const waiters = this.#waiters;
        this.#waiters = [];
        for (const resolve of waiters) resolve();
      }
    };
  }

  /** Resolves when no request is in flight. */
  idle(): Promise<void> {
    if (this.#count === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
