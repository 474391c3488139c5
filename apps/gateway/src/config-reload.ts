/**
 * Live reload of `to11.toml`: on SIGHUP or when the file changes (watched, debounced), the
 * configuration is read and validated again. A valid one replaces the routing, providers,
 * timeouts, capture, guardrail, cache, span forwarding and `[limits]` default settings for the
 * requests that start afterwards; calls in flight finish
 * on the configuration they started with. An invalid one is refused with every problem named
 * (`ConfigError`) and the old one stays in force. The listener, store, Redis, workers and log
 * level need a restart: a reload keeps them as they were.
 */
import { type FSWatcher, readFileSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { ConfigError, type Env } from '@to11/config';
import type { Logger } from 'pino';
import { loadGatewayConfig } from './config.ts';
import type { GatewayConfig } from './config-types.ts';
import type { GatewayMetrics } from './telemetry/gateway-metrics.ts';

/** How a reload ended. */
export type ReloadResult =
  | { status: 'applied'; generation: number }
  | { status: 'refused'; error: ConfigError };

/** What a reload needs. */
export interface ConfigReloaderOptions {
  /** The environment the gateway started with (`TO11_CONFIG` and the `env::` variables). */
  env: Env;
  /** The configuration in force. */
  current: GatewayConfig;
  /** Puts a new configuration in force (`generation` is the one it becomes). */
  apply(config: GatewayConfig, generation: number): void;
  logger: Logger;
  metrics: Pick<GatewayMetrics, 'configGeneration' | 'configReloadFailures'>;
}

/** Quiet time after the last change event before the file is read (editors write in bursts). */
const DEBOUNCE_MS = 200;

/** Reloads the configuration on demand and, once {@link watch} is called, on file changes. */
export class ConfigReloader {
  #current: GatewayConfig;
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #lastText: string | undefined;

  constructor(private readonly options: ConfigReloaderOptions) {
    this.#current = options.current;
  }

  /** The path of `to11.toml`, when the gateway has one. */
  get path(): string | undefined {
    return this.options.env.TO11_CONFIG || undefined;
  }

  /**
   * Reads and validates the configuration again and applies it. `generation` is given by a
   * cluster primary that validated the file first; otherwise the next one is taken.
   */
  reload(reason: string, generation?: number): ReloadResult {
    const { logger, metrics } = this.options;
    let next: GatewayConfig;
    try {
      next = loadGatewayConfig(this.options.env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      metrics.configReloadFailures.inc();
      logger.error(
        { reason, issues: error.issues },
        `configuration reload refused, the previous one stays in force: ${error.message}`,
      );
      return { status: 'refused', error };
    }
    const old = this.#current;
    // Settings bound at start (listener, store, Redis, processes, logging) stay as they were.
    const merged: GatewayConfig = {
      ...next,
      host: old.host,
      port: old.port,
      workers: old.workers,
      databaseUrl: old.databaseUrl,
      dataDir: old.dataDir,
      embeddedEngine: old.embeddedEngine,
      redis: old.redis,
      bootstrapApiKey: old.bootstrapApiKey,
      logLevel: old.logLevel,
    };
    const applied = generation ?? metrics.configGeneration + 1;
    this.#current = merged;
    metrics.configGeneration = applied;
    this.options.apply(merged, applied);
    logger.info({ reason, generation: applied }, 'configuration reloaded');
    return { status: 'applied', generation: applied };
  }

  /** Reloads when the file's content changes (its directory is watched: editors replace files). */
  watch(debounceMs = DEBOUNCE_MS): void {
    const path = this.path;
    if (!path || this.#watcher) return;
    this.#lastText = this.#read(path);
    const name = basename(path);
    this.#watcher = watch(dirname(path), { persistent: false }, (_event, changed) => {
      if (changed !== null && changed !== name) return;
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.#onChange(path), debounceMs);
    });
    this.#watcher.on('error', (error) => {
      this.options.logger.warn({ err: error.message, path }, 'config file watch stopped');
    });
  }

  #onChange(path: string): void {
    const text = this.#read(path);
    // A file that vanished (an editor's rename) or did not change is no reload yet.
    if (text === undefined || text === this.#lastText) return;
    this.#lastText = text;
    this.reload('file change');
  }

  #read(path: string): string | undefined {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  }

  /** Stops watching. */
  close(): void {
    clearTimeout(this.#timer);
    this.#watcher?.close();
    this.#watcher = undefined;
  }
}
