/**
 * A warning that is logged at most once per interval, with the count of occurrences it
 * summarises, so an outage is visible in the log without flooding it.
 */
import type { Logger } from 'pino';

/** Logs `message` at most once per `intervalMs`, with how many times it happened meanwhile. */
export class RateLimitedWarning {
  #last = 0;
  #suppressed = 0;

  /** A warning for `message`, at most once per `intervalMs` (default 10 s). */
  constructor(
    private readonly logger: Logger,
    private readonly message: string,
    private readonly intervalMs = 10_000,
  ) {}

  /** Records one occurrence; logs when the interval since the last line has passed. */
  hit(fields: Record<string, unknown> = {}): void {
    const now = Date.now();
    if (now - this.#last < this.intervalMs) {
      this.#suppressed += 1;
      return;
    }
    this.logger.warn(
      { ...fields, occurrencesSinceLastWarning: this.#suppressed + 1 },
      this.message,
    );
    this.#last = now;
    this.#suppressed = 0;
  }
}
