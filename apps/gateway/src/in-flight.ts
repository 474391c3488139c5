/**
 * Counts requests still being answered (streams included) so a graceful shutdown can wait
 * for them, and whether the gateway is draining (shutting down: new calls are refused).
 */
export class InFlight {
  #count = 0;
  #waiters: (() => void)[] = [];
  #draining = false;
  #refused = 0;

  /** True once a shutdown began: calls that arrive from then on are refused. */
  get draining(): boolean {
    return this.#draining;
  }

  /** Calls refused because they arrived while draining. */
  get refused(): number {
    return this.#refused;
  }

  /** Starts draining (SIGTERM). */
  drain(): void {
    this.#draining = true;
  }

  /** Counts one call refused while draining. */
  refuse(): void {
    this.#refused += 1;
  }

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
