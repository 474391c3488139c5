/**
 * Whether the caller is still there, read from the node response: a response that closes
 * before it finished means the client went away (the same test node-server applies). That
 * costs one listener, where the request's `AbortSignal` would make node-server build an
 * `AbortController` per request.
 */
import type { ServerResponse } from 'node:http';

/** Tells when the client went away before its answer was complete. */
export interface ClientLink {
  /** The client has gone away. */
  readonly gone: boolean;
  /**
   * Calls `listener` once when the client goes away later (check {@link gone} first); returns
   * the function that unsubscribes.
   */
  onGone(listener: () => void): () => void;
}

class NodeClientLink implements ClientLink {
  readonly #listeners = new Set<() => void>();
  #watching = false;

  constructor(private readonly outgoing: ServerResponse) {}

  get gone(): boolean {
    return this.outgoing.closed && !this.outgoing.writableFinished;
  }

  onGone(listener: () => void): () => void {
    if (!this.#watching) {
      this.#watching = true;
      this.outgoing.once('close', () => {
        if (this.outgoing.writableFinished) return;
        for (const notify of this.#listeners) notify();
        this.#listeners.clear();
      });
    }
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** The link of a node:http response. */
export function clientLink(outgoing: ServerResponse): ClientLink {
  return new NodeClientLink(outgoing);
}

/** Waits `ms`; false when the client went away meanwhile (the wait then ends at once). */
export function waitForClient(ms: number, client: ClientLink): Promise<boolean> {
  if (client.gone) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      stop();
      resolve(true);
    }, ms);
    const stop = client.onGone(() => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}
