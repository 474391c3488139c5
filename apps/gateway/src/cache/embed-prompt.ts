/**
 * The embedding of a prompt for the semantic cache, fetched from `[cache.semantic] model`
 * (resolved like a caller's model: route, or `provider::model`) through the gateway's own
 * upstream client. The call has its own GenAI span (`embeddings <model>`) with its usage and
 * cost, and its tokens count against the request's limits. With no managed credential the
 * caller's provider key is sent only to the provider the caller's own call would go to.
 * Any failure (no such model, upstream error, timeout, an answer without a vector) returns
 * null: the request then runs without the semantic cache.
 */
import { type Attributes, randomSpanId } from '@to11/trace-core';
import type { AppDeps } from '../env.ts';
import { exchangeFor } from '../invoke/exchange.ts';
import { upstreamHeaders } from '../invoke/upstream-headers.ts';
import { upstreamUrl, withAuthQuery } from '../invoke/upstream-url.ts';
import type { LimitTicket } from '../limits/request-limits.ts';
import type { ClientLink } from '../node-io/client-link.ts';
import { UpstreamCall } from '../node-io/upstream-call.ts';
import { RoutePlan } from '../routing/route-plan.ts';
import { nowNs } from '../telemetry/clock.ts';
import { recordGenAiSpan } from '../telemetry/genai-span.ts';
import type { RequestTrace } from '../telemetry/request-trace.ts';
import { asArray, asObject } from '../wire/json-fields.ts';
import { embeddingsRequest } from '../wire/openai/embeddings.ts';
import { unitVector } from './semantic-store.ts';

/** What the embeddings call is made for. */
export interface EmbedRequest {
  deps: AppDeps;
  trace: RequestTrace;
  limits: LimitTicket;
  client: ClientLink;
  /** The caller's provider key, and the provider the caller's call goes to first. */
  callerKey: string | undefined;
  callerProviderId: string | undefined;
  /** Client context attributes of the request (user, session, environment). */
  context: Attributes;
  environment: string | undefined;
  model: string;
  text: string;
}

/** The first embedding of an OpenAI embeddings answer, as a unit vector. */
function vectorOf(body: unknown): Float32Array | null {
  const first = asObject(asArray(asObject(body)?.data)?.[0]);
  const values = asArray(first?.embedding);
  if (!values || values.length === 0 || !values.every((value) => typeof value === 'number')) {
    return null;
  }
  return unitVector(values as number[]);
}

/** Embeds `text`; null when no vector could be had. */
export async function embedPrompt(input: EmbedRequest): Promise<Float32Array | null> {
  const { deps, trace } = input;
  const plan = RoutePlan.resolve(input.model, 'embeddings', deps.config, {
    ...(input.environment ? { environment: input.environment } : {}),
  });
  const attempt = plan?.next()?.attempt;
  const exchange = attempt ? exchangeFor('embeddings', attempt.provider.format) : null;
  if (!attempt || !exchange) return null;
  const key =
    attempt.credential?.reveal() ??
    (attempt.provider.id === input.callerProviderId ? input.callerKey : undefined);
  const body = { model: attempt.model, input: input.text, encoding_format: 'float' };
  const url = new URL(attempt.provider.baseUrl);
  const call = {
    spanId: randomSpanId(),
    startNs: nowNs(),
    request: embeddingsRequest(body, attempt.model),
    providerId: attempt.provider.id,
    model: attempt.model,
    serverAddress: url.hostname,
    serverPort: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80,
    routing: attempt.routing,
    context: input.context,
    scope: 'duration_and_tokens' as const,
    capture: { enabled: deps.config.captureContent, maxBytes: deps.config.maxContentBytes },
  };
  const headers = upstreamHeaders(
    {},
    {
      provider: attempt.provider,
      credential: attempt.credential,
      callerKey: key,
      traceparent: trace.traceparentFor(call.spanId),
      tracestate: trace.traceState,
      contentType: 'application/json',
      crossFormat: false,
    },
  );
  const handle = new UpstreamCall(attempt.timeoutMs, input.client);
  let status = 0;
  let parsed: unknown;
  let failure: string | undefined;
  try {
    const response = await handle.send(
      withAuthQuery(upstreamUrl(attempt.provider, exchange.endpoint), attempt.provider, key),
      { headers, body: JSON.stringify(body) },
    );
    status = response.status;
    const text = await response.text();
    parsed = JSON.parse(text);
    if (!response.ok) failure = `embeddings answered ${status}`;
  } catch (error) {
    failure = status === 0 ? handle.failure(error).message : 'embeddings answer is not JSON';
  } finally {
    handle.dispose();
  }
  const endNs = nowNs();
  const telemetry = failure ? undefined : exchange.parseResponse(asObject(parsed) ?? {}, endNs);
  const vector = failure ? null : vectorOf(parsed);
  if (!failure && !vector) failure = 'embeddings answer has no vector';
  recordGenAiSpan(trace, deps.metrics, call, {
    upstreamEndNs: endNs,
    endNs,
    response: telemetry,
    ...(failure ? { error: { type: 'semantic_cache_embedding', message: failure } } : {}),
  });
  if (telemetry) input.limits.settle(telemetry.usage, [telemetry.model, attempt.model]);
  return vector;
}
