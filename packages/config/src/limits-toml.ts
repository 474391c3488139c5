/**
 * `[limits]` of to11.toml (SPEC §10 "Shared state"): default rate limits and budgets for every
 * API key (`[limits.key]`) and every project (`[limits.project]`) that has none stored through
 * the admin API, and what the gateway does while Redis does not answer.
 */
import { z } from 'zod';
import { setting } from './setting.ts';

/** What the gateway does with a request whose limits cannot be checked (Redis down). */
export const LIMIT_FAILURE_MODES = ['open', 'closed'] as const;

function defaultsSchema(subject: 'key' | 'project') {
  const of = subject === 'key' ? 'per API key' : 'per project';
  const count = z.int().positive();
  const usd = z.number().positive();
  return z.strictObject({
    requests_per_minute: setting(count, {
      description: `Requests per minute ${of}, unless the admin API sets another`,
    }).optional(),
    tokens_per_minute: setting(count, {
      description: `Input + output tokens per minute ${of} (counted after each call)`,
    }).optional(),
    usd_per_day: setting(usd, {
      description: `USD per UTC day ${of}, priced with the gateway's price table`,
    }).optional(),
    usd_per_month: setting(usd, {
      description: `USD per UTC calendar month ${of}`,
    }).optional(),
  });
}

/** The `[limits]` table. */
export const limitsSchema = z.strictObject({
  on_redis_error: setting(z.enum(LIMIT_FAILURE_MODES), {
    description:
      'With `REDIS_URL` and Redis unreachable: `open` serves unchecked, `closed` answers 503 `overloaded`',
    default: 'open',
  }).optional(),
  key: defaultsSchema('key').optional(),
  project: defaultsSchema('project').optional(),
});

/** One `[limits.key]` / `[limits.project]` table. */
export type LimitDefaultsSection = z.infer<ReturnType<typeof defaultsSchema>>;
