/**
 * `REDIS_URL` or `REDIS_CLUSTER_NODES`: where gateway processes share limits, budgets, the exact
 * and semantic caches and key revocation (SPEC §10 "Shared state"). Unset, each process keeps
 * that state in memory. The URLs are never echoed: they may hold a password.
 */
import { z } from 'zod';
import type { ConfigIssue } from './config-error.ts';
import { setting } from './setting.ts';

const REDIS_PROTOCOL = /^rediss?:$/;

/** `host:port` or `redis[s]://[user:password@]host:port`, as a URL; null when it is neither. */
function clusterNode(text: string): URL | null {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `redis://${text}`;
  try {
    const url = new URL(withScheme);
    return REDIS_PROTOCOL.test(url.protocol) && url.hostname !== '' && url.port !== '' ? url : null;
  } catch {
    return null;
  }
}

export const sharedStateEnvSchema = z.object({
  REDIS_URL: setting(
    z.url({
      protocol: /^rediss?$/,
      error: 'must be a redis:// or rediss:// URL',
    }),
    {
      description:
        '`redis://…`: share rate limits, budgets, the exact and semantic caches and key revocation across gateway processes',
    },
  ).optional(),
  REDIS_CLUSTER_NODES: setting(
    z
      .string()
      .transform((text) => text.split(',').map((node) => node.trim()))
      .refine((nodes) => nodes.every((node) => clusterNode(node) !== null), {
        error: 'must be comma-separated host:port or redis[s]://host:port seed nodes',
      }),
    {
      description:
        'Redis Cluster instead of one Redis: comma-separated seed nodes (`host:port` or `redis[s]://[user:password@]host:port`; credentials and TLS from the first); not with `REDIS_URL`',
    },
  ).optional(),
  TO11_REDIS_KEY_PREFIX: setting(z.string().min(1).max(100), {
    description:
      'Prefix of every Redis key and channel to11 uses, so several deployments (or tests) can share one Redis',
    default: 'to11:',
  }).default('to11:'),
});

/** The shared-state settings after validation. */
export type SharedStateEnv = z.output<typeof sharedStateEnvSchema>;

/** Where the shared state lives: one Redis (or a replica set's primary), or a Redis Cluster. */
export type RedisTarget = { kind: 'single'; url: string } | { kind: 'cluster'; nodes: string[] };

/** The Redis target of validated settings; both variables set is an issue. */
export function redisTargetOf(env: SharedStateEnv, issues: ConfigIssue[]): RedisTarget | undefined {
  if (env.REDIS_CLUSTER_NODES !== undefined) {
    if (env.REDIS_URL !== undefined) {
      issues.push({
        key: 'REDIS_CLUSTER_NODES',
        message: 'set REDIS_URL or REDIS_CLUSTER_NODES, not both',
      });
    }
    const nodes = env.REDIS_CLUSTER_NODES.map((node) => clusterNode(node)?.toString() ?? node);
    return { kind: 'cluster', nodes };
  }
  return env.REDIS_URL === undefined ? undefined : { kind: 'single', url: env.REDIS_URL };
}
