/**
 * Three traces for the read-view tests (filters, facets, sessions, dashboard), written through
 * the store's own write path:
 * - `chat`: a gateway call (HTTP span → GenAI span → tool_call span), gpt-4o-mini, 10/5 tokens,
 *   $0.01, session s1, user u1, environment prod, "banana" in the captured prompt.
 * - `agent`: an app's `agent run` (service checkout, environment staging, tenant=acme) with an
 *   SDK wrapper span and the gateway's GenAI span below it, both carrying 100/50 tokens (counted
 *   once), claude-x, $0.2, session s1, the GenAI span failed, 2 s long.
 * - `cron`: a plain span of service cron, session s2, enduser.id u2.
 */
import type { SpanRecord } from '@to11/trace-core';
import { randomHex, spanFixture } from './span-fixture.ts';
import type { Store } from './types.ts';

const MS = 1_000_000n;
/** The first trace's start. */
export const T0 = 1_790_000_000_000n * MS;

/** Trace ids by name. */
export interface ReadFixture {
  chat: string;
  agent: string;
  cron: string;
}

function resource(projectId: string, attributes: Record<string, string>) {
  return { attributes: { 'project.id': projectId, ...attributes } };
}

/** Writes the three traces into `projectId`. */
export async function writeReadFixture(store: Store, projectId: string): Promise<ReadFixture> {
  const ids = { chat: randomHex(16), agent: randomHex(16), cron: randomHex(16) };
  const span = (traceId: string, startMs: number, endMs: number, o: Partial<SpanRecord>) =>
    spanFixture(projectId, {
      traceId,
      startTimeUnixNano: T0 + BigInt(startMs) * MS,
      endTimeUnixNano: T0 + BigInt(endMs) * MS,
      attributes: {},
      ...o,
    });
  const gateway = resource(projectId, {
    'service.name': 'to11-gateway',
    'deployment.environment.name': 'prod',
  });
  const plainGateway = resource(projectId, { 'service.name': 'to11-gateway' });
  const [chatHttp, chatGenAi, agentRoot, wrapper, agentHttp, agentGenAi] = Array.from(
    { length: 6 },
    () => randomHex(8),
  );
  const spans: SpanRecord[] = [
    span(ids.chat, 0, 100, {
      spanId: chatHttp,
      name: 'POST /v1/chat/completions',
      kind: 'SERVER',
      resource: gateway,
      status: { code: 'OK' },
    }),
    span(ids.chat, 5, 95, {
      spanId: chatGenAi,
      parentSpanId: chatHttp,
      resource: gateway,
      name: 'chat gpt-4o-mini',
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.usage.input_tokens': 10,
        'gen_ai.usage.output_tokens': 5,
        'gen_ai.usage.cost': 0.01,
        'gen_ai.session.id': 's1',
        'gen_ai.user.id': 'u1',
        'gen_ai.server.time_to_first_token': 0.2,
        'gen_ai.input.messages': JSON.stringify([
          { role: 'user', parts: [{ type: 'text', content: 'Is a Banana a berry?' }] },
        ]),
      },
    }),
    span(ids.chat, 90, 91, {
      parentSpanId: chatGenAi,
      resource: gateway,
      name: 'tool_call.get_weather',
      kind: 'INTERNAL',
      attributes: { 'gen_ai.tool.name': 'get_weather' },
    }),
    span(ids.agent, 1000, 3000, {
      spanId: agentRoot,
      name: 'agent run',
      kind: 'INTERNAL',
      source: 'otlp',
      resource: resource(projectId, {
        'service.name': 'checkout',
        'deployment.environment': 'staging',
      }),
      attributes: { tenant: 'acme', 'gen_ai.session.id': 's1' },
    }),
    span(ids.agent, 1010, 2900, {
      spanId: wrapper,
      parentSpanId: agentRoot,
      name: 'ai.generateText',
      source: 'otlp',
      resource: resource(projectId, { 'service.name': 'checkout' }),
      attributes: {
        'gen_ai.request.model': 'claude-x',
        'gen_ai.usage.input_tokens': 100,
        'gen_ai.usage.output_tokens': 50,
      },
    }),
    span(ids.agent, 1020, 2800, {
      spanId: agentHttp,
      parentSpanId: wrapper,
      resource: plainGateway,
      name: 'POST /v1/messages',
      kind: 'SERVER',
    }),
    span(ids.agent, 1030, 2700, {
      spanId: agentGenAi,
      parentSpanId: agentHttp,
      resource: plainGateway,
      name: 'chat claude-x',
      status: { code: 'ERROR', message: 'overloaded' },
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.request.model': 'claude-x',
        'gen_ai.usage.input_tokens': 100,
        'gen_ai.usage.output_tokens': 50,
        'gen_ai.usage.cost': 0.2,
      },
    }),
    span(ids.cron, 2000, 2001, {
      name: 'cron',
      kind: 'INTERNAL',
      source: 'otlp',
      resource: resource(projectId, { 'service.name': 'cron' }),
      attributes: { 'gen_ai.session.id': 's2', 'enduser.id': 'u2' },
    }),
  ];
  const result = await store.spans.write(spans);
  if (result.status !== 'ok') throw new Error(`fixture write failed: ${result.status}`);
  return ids;
}
