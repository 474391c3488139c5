/**
 * The effective limits of a request's key and project: what the admin API stored, else the
 * `[limits.key]` / `[limits.project]` defaults of to11.toml. Cached per subject for a few
 * seconds (like the key cache), so the hot path does not query the store per call; a change
 * through the admin API takes effect within that TTL, a reloaded to11.toml at once. While the
 * store cannot be read, settings cached in the last {@link LIMIT_SETTINGS_STALE_IF_ERROR_MS}
 * still apply (stale-if-error, like the key cache), so a store outage does not fail calls
 * (SPEC §8).
 */
import { LIMIT_METRICS, type LimitSettings, OutageGate, type Store } from '@to11/store';
import { GatewayError } from '../errors.ts';

/** Default horizon of a cached setting (at most the key cache's 5 s). */
export const LIMIT_SETTINGS_TTL_MS = 5_000;

/** How long past its TTL a cached setting still applies while the store cannot be read. */
export const LIMIT_SETTINGS_STALE_IF_ERROR_MS = 10 * 60_000;

const MAX_ENTRIES = 10_000;

function merged(stored: LimitSettings | undefined, defaults: LimitSettings): LimitSettings {
  const out = { ...defaults };
  for (const metric of LIMIT_METRICS) out[metric] = stored?.[metric] ?? defaults[metric];
  return out;
}

/** Effective settings of a key and its project. */
export class LimitSettingsCache {
  readonly #entries = new Map<string, { settings: LimitSettings; until: number }>();
  /** While the store is down, cached settings answer without waiting on it. */
  readonly #outage = new OutageGate();

  constructor(
    private readonly store: Store,
    private defaults: { key: LimitSettings; project: LimitSettings },
    private readonly ttlMs = LIMIT_SETTINGS_TTL_MS,
  ) {}

  /** New to11.toml defaults (live reload): cached settings are dropped, so they apply now. */
  setDefaults(defaults: { key: LimitSettings; project: LimitSettings }): void {
    this.defaults = defaults;
    this.#entries.clear();
  }

  /** Both settings when both are cached and fresh (no store query, no promise); else undefined. */
  cached(
    keyId: string,
    projectId: string,
    nowMs: number,
  ): { key: LimitSettings; project: LimitSettings } | undefined {
    const key = this.#cached(keyId, nowMs);
    const project = key && this.#cached(projectId, nowMs);
    return key && project ? { key, project } : undefined;
  }

  /** The key's and the project's settings (one store query when either is not cached). */
  async get(
    keyId: string,
    projectId: string,
    nowMs: number,
  ): Promise<{ key: LimitSettings; project: LimitSettings }> {
    const key = this.#cached(keyId, nowMs);
    const project = this.#cached(projectId, nowMs);
    if (key && project) return { key, project };
    const staleKey = this.#cached(keyId, nowMs - LIMIT_SETTINGS_STALE_IF_ERROR_MS);
    const staleProject = this.#cached(projectId, nowMs - LIMIT_SETTINGS_STALE_IF_ERROR_MS);
    const stale = staleKey && staleProject ? { key: staleKey, project: staleProject } : null;
    let stored: Map<string, LimitSettings>;
    try {
      stored = await this.#outage.read(
        () => this.store.limits.get([keyId, projectId]),
        stale !== null,
      );
    } catch {
      if (stale) return stale;
      throw new GatewayError('unavailable', 'the limits store is unavailable; retry shortly');
    }
    const fresh = {
      key: merged(stored.get(keyId), this.defaults.key),
      project: merged(stored.get(projectId), this.defaults.project),
    };
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
    this.#entries.set(keyId, { settings: fresh.key, until: nowMs + this.ttlMs });
    this.#entries.set(projectId, { settings: fresh.project, until: nowMs + this.ttlMs });
    return fresh;
  }

  #cached(subjectId: string, nowMs: number): LimitSettings | undefined {
    const hit = this.#entries.get(subjectId);
    return hit && hit.until > nowMs ? hit.settings : undefined;
  }
}
