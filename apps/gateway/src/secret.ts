/**
 * A credential held in memory. It never serialises or prints its value, so a config object or
 * an error that carries one cannot leak it into a log line or a span by accident.
 */
export class Secret {
  readonly #value: string;

  /** Wraps a secret value. */
  constructor(value: string) {
    this.#value = value;
  }

  /** The raw value, for the one place that must send it (an upstream auth header). */
  reveal(): string {
    return this.#value;
  }

  /** Always `[redacted]`. */
  toJSON(): string {
    return '[redacted]';
  }

  /** Always `[redacted]`. */
  toString(): string {
    return '[redacted]';
  }
}
