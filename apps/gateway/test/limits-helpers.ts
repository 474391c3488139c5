/**
 * Helpers of the limits tests: a frozen limit clock (mid-minute, so a window never ends in the
 * middle of a test unless the test moves it), a fresh project and key with stored limits, and
 * the Redis key prefix of one test with its clean-up.
 */
import { randomBytes } from 'node:crypto';
import Anthropic from '@anthropic-ai/sdk';
import { type LimitSettings, NO_LIMITS } from '@to11/store';
import type { SpanRecord } from '@to11/trace-core';
import { Redis } from 'ioredis';
import OpenAI from 'openai';
import type { Harness } from './harness.ts';
import { PROVIDER_KEY } from './harness.ts';

/** A limit clock the test moves by hand; starts at 12:00:30 UTC. */
export function frozenClock(): { now: number; read: () => number } {
  const clock = { now: Date.UTC(2026, 0, 15, 12, 0, 30), read: () => clock.now };
  return clock;
}

/** A new project with a key in it, both with these stored limits; SDK clients for `urls`. */
export async function limitedCaller(
  h: Harness,
  limits: { key?: Partial<LimitSettings>; project?: Partial<LimitSettings> },
) {
  const project = await h.store.projects.create(
    h.orgId,
    `limits-${randomBytes(4).toString('hex')}`,
  );
  const { key, secret } = await h.store.keys.create({
    orgId: h.orgId,
    scopeClass: 'project',
    projectId: project.id,
    scopes: ['gateway:invoke'],
  });
  for (const [kind, id] of [
    ['key', key.id],
    ['project', project.id],
  ] as const) {
    const settings = limits[kind];
    if (!settings) continue;
    await h.store.limits.set({
      orgId: h.orgId,
      subjectKind: kind,
      subjectId: id,
      settings: { ...NO_LIMITS, ...settings },
    });
  }
  const headers = { 'x-to11-authorization': `Bearer ${secret}` };
  const clients = (gatewayUrl: string) => ({
    openai: new OpenAI({
      apiKey: PROVIDER_KEY,
      baseURL: `${gatewayUrl}/v1`,
      defaultHeaders: headers,
      maxRetries: 0,
    }),
    anthropic: new Anthropic({
      apiKey: PROVIDER_KEY,
      baseURL: gatewayUrl,
      defaultHeaders: headers,
      maxRetries: 0,
    }),
  });
  return { projectId: project.id, keyId: key.id, secret, headers, clients };
}

/** One chat call through the OpenAI SDK: its result or the error it threw. */
export function openaiChat(openai: OpenAI, stream = false): Promise<unknown> {
  const messages = [{ role: 'user' as const, content: 'hi' }];
  if (!stream)
    return openai.chat.completions.create({ model: 'gpt-4o', messages }).catch((e: unknown) => e);
  return (async () => {
    const chunks = await openai.chat.completions.create({
      model: 'gpt-4o',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const _chunk of chunks) {
      // Read the whole stream: usage comes last.
    }
    return 'streamed';
  })().catch((e: unknown) => e);
}

/** A Redis key prefix of one test, and a clean-up that deletes every key under it. */
export function redisPrefix(): { prefix: string; cleanUp: () => Promise<void> } {
  const prefix = `to11-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
  return {
    prefix,
    async cleanUp() {
      const redis = new Redis('redis://127.0.0.1:6379');
      try {
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length > 0) await redis.del(...keys);
      } finally {
        redis.disconnect();
      }
    },
  };
}

/** The spans of a trace in `projectId` once the writer has stored any (at most 8 s). */
export async function storedSpans(
  h: Harness,
  projectId: string,
  traceId: string,
): Promise<SpanRecord[]> {
  const deadline = Date.now() + 8_000;
  for (;;) {
    const spans = await h.store.spans.getTrace(projectId, traceId);
    if (spans.length > 0 || Date.now() > deadline) return spans;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
