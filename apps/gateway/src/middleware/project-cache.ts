/**
 * A short-lived cache of project lookups for org-key requests, so the hot path does not query
 * the store per call (same 5 s horizon as the key cache).
 */
import type { Project, Store } from '@to11/store';
import { GatewayError } from '../errors.ts';

const TTL_MS = 5_000;

/** Project lookups cached for five seconds. */
export class ProjectCache {
  readonly #entries = new Map<string, { project: Project | null; until: number }>();

  /** Caches lookups of `store`. */
  constructor(private readonly store: Store) {}

  /** The project, or null when it does not exist. */
  async get(projectId: string): Promise<Project | null> {
    const now = Date.now();
    const hit = this.#entries.get(projectId);
    if (hit && hit.until > now) return hit.project;
    let project: Project | null;
    try {
      project = await this.store.projects.get(projectId);
    } catch {
      // The store is down: a project looked up before still answers (stale-if-error).
      if (hit) return hit.project;
      throw new GatewayError('unavailable', 'the project store is unavailable; retry shortly');
    }
    if (this.#entries.size > 10_000) this.#entries.clear();
    this.#entries.set(projectId, { project, until: now + TTL_MS });
    return project;
  }
}
