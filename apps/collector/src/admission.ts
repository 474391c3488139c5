/**
 * Admission control for exports: at most `max` export requests are read, decoded and waiting
 * for their commit at once; the rest are refused at the door with 503 / UNAVAILABLE before
 * their body is read. With the writer's span queue, this keeps memory bounded under overload.
 */
export interface Admission {
  /** Takes a slot; false when all are taken (refuse the request). */
  tryEnter(): boolean;
  /** Gives a slot back. */
  leave(): void;
  /** Slots taken. */
  readonly inFlight: number;
  /** Requests refused since start (`to11_collector_exports_refused_total{reason="concurrency"}`). */
  readonly refused: number;
}

/** Creates an admission gate with `max` slots. */
export function createAdmission(max: number): Admission {
  let inFlight = 0;
  let refused = 0;
  return {
    tryEnter() {
      if (inFlight >= max) {
        refused++;
        return false;
      }
      inFlight++;
      return true;
    },
    leave() {
      inFlight = Math.max(0, inFlight - 1);
    },
    get inFlight() {
      return inFlight;
    },
    get refused() {
      return refused;
    },
  };
}
