/**
 * The data set of the read benchmark (read-api.ts): traces over the last 30 days, a realistic mix,
 * about 10 spans per trace on average (100,000 traces make ~1,000,000 spans).
 * - 55% gateway calls: the gateway's HTTP span → GenAI span (usage, cost, ttft, captured
 *   content), a fifth of them with a `tool_call.<fn>` child.
 * - 45% app traces: an app root span (service checkout|search|support, environment, tenant),
 *   app spans (6 db queries, a cache get), and 1–4 LLM calls each made of an SDK wrapper span carrying usage →
 *   the gateway's HTTP span → the gateway's GenAI span carrying the same usage (counted once),
 *   sometimes an `execute_tool` span.
 * - `agents` agent traces of 2,000 spans (one starting an hour ago, the rest spread out).
 * One trace in 1,000 mentions "zanzibar" in its prompt (the content-search target).
 */
import { randomBytes } from 'node:crypto';
import { seededRandom as rng } from '@to11/store/testing';
import type { SpanRecord } from '@to11/trace-core';

const MS = 1_000_000n;
const DAY_MS = 86_400_000;
const MODELS = [
  ['openai', 'gpt-4o-mini', 0.000_15],
  ['openai', 'gpt-4o', 0.0025],
  ['anthropic', 'claude-sonnet-4', 0.003],
  ['anthropic', 'claude-haiku-4', 0.0008],
  ['mistral', 'mistral-large', 0.002],
  ['mistral', 'mistral-small', 0.0002],
] as const;
const SERVICES = ['checkout', 'search', 'support'];
const ENVIRONMENTS = ['prod', 'staging'];
const WORDS = ['invoice', 'refund', 'shipping', 'password', 'export', 'billing', 'login', 'api'];

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

interface Ctx {
  projectId: string;
  random: () => number;
  i: number;
}

function base(ctx: Ctx, traceId: string, start: bigint, durMs: number, o: Partial<SpanRecord>) {
  const span: SpanRecord = {
    projectId: ctx.projectId,
    traceId,
    spanId: hex(8),
    parentSpanId: null,
    name: 'span',
    kind: 'INTERNAL',
    startTimeUnixNano: start,
    endTimeUnixNano: start + BigInt(Math.round(durMs * 1e6)),
    status: { code: 'UNSET' },
    attributes: {},
    resource: { attributes: { 'project.id': ctx.projectId, 'service.name': 'to11-gateway' } },
    events: [],
    links: [],
    source: 'gateway',
    ...o,
  };
  return span;
}

/** The gateway's HTTP span and GenAI span (and maybe a tool call) of one LLM call. */
function gatewayCall(
  ctx: Ctx,
  traceId: string,
  start: bigint,
  parentSpanId: string | null,
  env: string,
  user: string,
  session: string | null,
): SpanRecord[] {
  const r = ctx.random;
  const [provider, model, price] = MODELS[Math.floor(r() * MODELS.length)] ?? MODELS[0];
  const durMs = 200 + r() * 3000;
  const input = 50 + Math.floor(r() * 2000);
  const output = 10 + Math.floor(r() * 600);
  const failed = r() < 0.03;
  const word = WORDS[Math.floor(r() * WORDS.length)];
  const secret = ctx.i % 1000 === 7 ? ' (sent from zanzibar)' : '';
  const resource = {
    attributes: {
      'project.id': ctx.projectId,
      'service.name': 'to11-gateway',
      'deployment.environment.name': env,
    },
  };
  const http = base(ctx, traceId, start, durMs + 2, {
    parentSpanId,
    name: 'POST /v1/chat/completions',
    kind: 'SERVER',
    resource,
    status: { code: failed ? 'ERROR' : 'OK' },
    attributes: { 'http.request.method': 'POST', 'http.response.status_code': failed ? 502 : 200 },
  });
  const genAi = base(ctx, traceId, start + MS, durMs, {
    parentSpanId: http.spanId,
    name: `chat ${model}`,
    kind: 'CLIENT',
    resource,
    status: failed ? { code: 'ERROR', message: 'provider returned status 502' } : { code: 'OK' },
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': provider,
      'gen_ai.request.model': model,
      'gen_ai.response.model': model,
      'gen_ai.usage.input_tokens': input,
      'gen_ai.usage.output_tokens': output,
      'gen_ai.usage.cost': ((input + 4 * output) / 1000) * price,
      'gen_ai.server.time_to_first_token': (50 + r() * 800) / 1000,
      'gen_ai.user.id': user,
      ...(session === null ? {} : { 'gen_ai.session.id': session }),
      'deployment.environment.name': env,
      'gen_ai.input.messages': JSON.stringify([
        { role: 'system', parts: [{ type: 'text', content: 'You are a support assistant.' }] },
        {
          role: 'user',
          parts: [{ type: 'text', content: `Help with my ${word} issue #${ctx.i}${secret}.` }],
        },
      ]),
      'gen_ai.output.messages': JSON.stringify([
        {
          role: 'assistant',
          parts: [{ type: 'text', content: `Here is how to fix the ${word} problem.` }],
        },
      ]),
    },
  });
  const spans = [http, genAi];
  if (r() < 0.2) {
    spans.push(
      base(ctx, traceId, start + BigInt(Math.round(durMs * 1e6)) - MS, 0.5, {
        parentSpanId: genAi.spanId,
        name: 'tool_call.lookup_order',
        attributes: { 'gen_ai.tool.name': 'lookup_order', 'gen_ai.tool.type': 'function' },
      }),
    );
  }
  return spans;
}

/** An app's trace: root, app spans, 1–4 LLM calls (SDK wrapper → gateway), maybe a tool. */
function appTrace(ctx: Ctx, start: bigint): SpanRecord[] {
  const r = ctx.random;
  const traceId = hex(16);
  const service = SERVICES[ctx.i % SERVICES.length] ?? 'checkout';
  const env = ENVIRONMENTS[ctx.i % 7 === 0 ? 1 : 0] ?? 'prod';
  const user = `user-${ctx.i % 5000}`;
  const session = ctx.i % 3 === 0 ? `session-${ctx.i % 20_000}` : null;
  const resource = {
    attributes: {
      'project.id': ctx.projectId,
      'service.name': service,
      'deployment.environment.name': env,
    },
  };
  const app = (at: bigint, durMs: number, o: Partial<SpanRecord>) =>
    base(ctx, traceId, at, durMs, { source: 'otlp', resource, ...o });
  const root = app(start, 5000, {
    name: `POST /api/${service}`,
    kind: 'SERVER',
    attributes: { tenant: `tenant-${ctx.i % 50}`, 'user.id': user },
  });
  const spans: SpanRecord[] = [root];
  for (let k = 0; k < 6; k++) {
    spans.push(app(start + BigInt(k + 1) * MS, 3, { parentSpanId: root.spanId, name: 'db.query' }));
  }
  spans.push(app(start + 5n * MS, 1, { parentSpanId: root.spanId, name: 'cache.get' }));
  const calls = 1 + Math.floor(r() * 4);
  for (let k = 0; k < calls; k++) {
    const at = start + BigInt(10 + k * 1500) * MS;
    const calls = gatewayCall(ctx, traceId, at + MS, null, env, user, session);
    const genAi = calls[1] as SpanRecord;
    const wrapper = app(at, 1400, {
      parentSpanId: root.spanId,
      name: 'ai.generateText',
      attributes: {
        'ai.model.id': genAi.attributes['gen_ai.request.model'] ?? null,
        'gen_ai.request.model': genAi.attributes['gen_ai.request.model'] ?? null,
        'gen_ai.usage.input_tokens': genAi.attributes['gen_ai.usage.input_tokens'] ?? null,
        'gen_ai.usage.output_tokens': genAi.attributes['gen_ai.usage.output_tokens'] ?? null,
      },
    });
    const client = app(at + MS / 2n, 1390, {
      parentSpanId: wrapper.spanId,
      name: 'POST',
      kind: 'CLIENT',
    });
    (calls[0] as SpanRecord).parentSpanId = client.spanId;
    spans.push(wrapper, client, ...calls);
    if (r() < 0.3) {
      spans.push(
        app(at + 1450n * MS, 20, {
          parentSpanId: root.spanId,
          name: 'execute_tool search_docs',
          attributes: {
            'gen_ai.operation.name': 'execute_tool',
            'gen_ai.tool.name': 'search_docs',
          },
        }),
      );
    }
  }
  return spans;
}

/** An agent trace of `size` spans: 400 turns of (LLM call, tool, 2 app spans) under one root. */
export function agentTrace(projectId: string, start: bigint, size: number, seed = 1): SpanRecord[] {
  const ctx: Ctx = { projectId, random: rng(seed), i: seed };
  const traceId = hex(16);
  const resource = { attributes: { 'project.id': projectId, 'service.name': 'agent' } };
  const root = base(ctx, traceId, start, 600_000, {
    name: 'invoke_agent planner',
    source: 'otlp',
    resource,
    attributes: { 'gen_ai.operation.name': 'invoke_agent' },
  });
  const spans = [root];
  for (let turn = 0; spans.length < size; turn++) {
    const at = start + BigInt(turn) * 1000n * MS;
    spans.push(...gatewayCall(ctx, traceId, at, root.spanId, 'prod', 'agent-user', null));
    spans.push(
      base(ctx, traceId, at + 900n * MS, 50, {
        parentSpanId: root.spanId,
        name: 'execute_tool run_sql',
        source: 'otlp',
        resource,
        attributes: { 'gen_ai.operation.name': 'execute_tool' },
      }),
    );
  }
  return spans.slice(0, size);
}

/** Calls `sink` with chunks of about `chunk` spans until `traces` traces are made. */
export async function fillTraces(
  projectId: string,
  traces: number,
  nowMs: number,
  sink: (spans: SpanRecord[]) => Promise<void>,
  chunk = 5000,
): Promise<void> {
  const random = rng(42);
  let pending: SpanRecord[] = [];
  for (let i = 0; i < traces; i++) {
    const ctx: Ctx = { projectId, random, i };
    const start = BigInt(Math.floor(nowMs - random() * 30 * DAY_MS)) * MS;
    const spans =
      random() < 0.55
        ? gatewayCall(
            ctx,
            hex(16),
            start,
            null,
            'prod',
            `user-${i % 5000}`,
            i % 4 === 0 ? `session-${i % 20_000}` : null,
          )
        : appTrace(ctx, start);
    pending.push(...spans);
    if (pending.length >= chunk) {
      await sink(pending);
      pending = [];
    }
  }
  if (pending.length > 0) await sink(pending);
}
