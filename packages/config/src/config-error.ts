/**
 * The one configuration error of every to11 process (gateway, collector, CLI). It carries every
 * problem found, each with the key it is about, and renders them on a single line.
 */
import type { z } from 'zod';

/** One problem: the key it is about and why it is wrong (never the value: it may be a secret). */
export interface ConfigIssue {
  /** An environment variable (`TO11_GATEWAY_PORT`) or a to11.toml path (`routes.r.targets[0]`). */
  key: string;
  /** The reason, e.g. `must be a postgres:// or postgresql:// URL`. */
  message: string;
  /** The to11.toml file a toml path belongs to; absent for environment variables. */
  file?: string;
}

/** `file key: message`, or `key: message` for an environment variable. */
export function formatIssue(issue: ConfigIssue): string {
  const where = issue.file === undefined ? issue.key : `${issue.file} ${issue.key}`;
  return `${where}: ${issue.message}`;
}

/**
 * Invalid configuration. The message is one line listing every issue (`KEY: reason; KEY: reason`),
 * after an optional heading (`invalid configuration: …`).
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** Every problem found, in the order they were found. */
  readonly issues: readonly ConfigIssue[];
  /** The words before the list (`invalid configuration`), or undefined for the bare list. */
  readonly heading: string | undefined;

  constructor(issues: readonly ConfigIssue[], heading?: string) {
    const list = issues.map(formatIssue).join('; ').replaceAll('\n', ' ');
    super(heading === undefined ? list : `${heading}: ${list}`);
    this.issues = issues;
    this.heading = heading;
  }

  /** The same issues under another heading. */
  withHeading(heading: string): ConfigError {
    return new ConfigError(this.issues, heading);
  }
}

/** A value or the issues that prevented it. */
export type ConfigResult<T> = { ok: true; value: T } | { ok: false; issues: ConfigIssue[] };

/** `providers.openai.models[0]` from zod's `['providers', 'openai', 'models', 0]`. */
export function keyOf(path: readonly PropertyKey[]): string {
  let key = '';
  for (const segment of path) {
    if (typeof segment === 'number') key += `[${segment}]`;
    else key += key === '' ? String(segment) : `.${String(segment)}`;
  }
  return key;
}

/** zod issues as config issues, keyed by their path (and file, for to11.toml). */
export function issuesFromZod(error: z.ZodError, file?: string): ConfigIssue[] {
  return error.issues.map((issue) => ({
    key: keyOf(issue.path),
    message: issue.message,
    ...(file === undefined ? {} : { file }),
  }));
}

/** Throws one {@link ConfigError} listing `issues` when there is any. */
export function throwIfAny(issues: readonly ConfigIssue[], heading?: string): void {
  if (issues.length > 0) throw new ConfigError(issues, heading);
}
