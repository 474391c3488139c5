/**
 * One upstream attempt: its GenAI span, the upstream request (trace context injected with the
 * GenAI span id), and the answer: buffered JSON, a relayed stream, or a classified failure.
 * The span is recorded when the attempt ends, which for a stream is when the stream ends.
 */
import { randomSpanId } from '@to11/trace-core';
import type { ProviderSettings } from '../config-types.ts';
import { errorResponse, GatewayError } from '../errors.ts';
import { type CallFailure, UpstreamCall, type UpstreamResponse } from '../node-io/upstream-call.ts';
import type { AttemptFailure } from '../routing/route-plan.ts';
import { nowNs } from '../telemetry/clock.ts';
import type { GenAiCall } from '../telemetry/genai-span.ts';
import { bufferedAnswer, finishAttempt, relayedAnswer } from './attempt-answer.ts';
import type { AttemptInput } from './attempt-input.ts';
import { classifyUpstream, retryAfterMs, upstreamErrorResponse } from './upstream-errors.ts';
import { upstreamHeaders } from './upstream-headers.ts';
import { upstreamUrl, withAuthQuery } from './upstream-url.ts';

/**
 * An answer for the caller (`ALREADY_ANSWERED` once written to the node response), or a
 * failure the route plan may retry.
 */
export type AttemptResult =
  | { kind: 'done'; response: Response }
  | { kind: 'failed'; response: Response; failure: AttemptFailure };

const servers = new WeakMap<ProviderSettings, { address: string; port: number }>();

function serverOf(provider: ProviderSettings): { address: string; port: number } {
  let server = servers.get(provider);
  if (!server) {
    const url = new URL(provider.baseUrl);
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    server = { address: url.hostname, port };
    servers.set(provider, server);
  }
  return server;
}

/** Runs one attempt. */
export async function runAttempt(input: AttemptInput): Promise<AttemptResult> {
  const { attempt, exchange, trace, deps } = input;
  const url = withAuthQuery(
    upstreamUrl(attempt.provider, exchange.endpoint),
    attempt.provider,
    attempt.credential?.reveal() ?? input.callerKey,
  );
  const server = serverOf(attempt.provider);
  const call: GenAiCall = {
    spanId: randomSpanId(),
    startNs: nowNs(),
    request: input.request.telemetry,
    providerId: attempt.provider.id,
    model: attempt.model,
    serverAddress: server.address,
    serverPort: server.port,
    routing: attempt.routing,
    context: input.context,
    scope: input.scope,
    capture: { enabled: deps.config.captureContent, maxBytes: deps.config.maxContentBytes },
  };
  const upstream = await exchange.body(input.request, attempt.model);
  const headers = upstreamHeaders(input.incoming, {
    provider: attempt.provider,
    credential: attempt.credential,
    callerKey: input.callerKey,
    traceparent: trace.traceparentFor(call.spanId),
    tracestate: trace.traceState,
    contentType: upstream.contentType,
    crossFormat: exchange.crossFormat,
  });
  const handle = new UpstreamCall(attempt.timeoutMs, input.client);
  let response: UpstreamResponse;
  try {
    response = await handle.send(url, { headers, body: upstream.body });
  } catch (error) {
    handle.dispose();
    return callFailed(input, call, handle.failure(error));
  }
  if (!response.ok) return upstreamFailed(input, call, handle, response);
  const type = response.headers['content-type'] ?? '';
  if (
    response.body &&
    (exchange.binary || (input.request.telemetry.stream && type.includes('text/event-stream')))
  ) {
    const answer = relayedAnswer(input, call, handle, response, upstream.stripUsage);
    return { kind: 'done', response: answer };
  }
  let bytes: Buffer;
  try {
    bytes = await response.bytes();
  } catch (error) {
    handle.dispose();
    return callFailed(input, call, handle.failure(error));
  }
  handle.dispose();
  return { kind: 'done', response: bufferedAnswer(input, call, response, bytes) };
}

function callFailed(input: AttemptInput, call: GenAiCall, failure: CallFailure): AttemptResult {
  const now = nowNs();
  const type =
    failure.kind === 'timeout'
      ? 'timeout'
      : failure.kind === 'client_abort'
        ? 'client_disconnected'
        : 'upstream';
  finishAttempt(input, call, {
    upstreamEndNs: now,
    endNs: now,
    error: { type, message: failure.message },
  });
  if (failure.kind === 'client_abort') {
    input.trace.fail('client disconnected');
    return { kind: 'done', response: new Response(null, { status: 499 }) };
  }
  const error = new GatewayError(
    'upstream',
    `${failure.message} (provider ${input.attempt.provider.id})`,
    {
      status: failure.kind === 'timeout' ? 504 : 502,
    },
  );
  return {
    kind: 'failed',
    response: errorResponse(error, input.dialect),
    failure: { retryable: true },
  };
}

async function upstreamFailed(
  input: AttemptInput,
  call: GenAiCall,
  handle: UpstreamCall,
  response: UpstreamResponse,
): Promise<AttemptResult> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    handle.dispose();
    return callFailed(input, call, handle.failure(error));
  }
  handle.dispose();
  const now = nowNs();
  const code = classifyUpstream(response.status, text);
  finishAttempt(input, call, {
    upstreamEndNs: now,
    endNs: now,
    error: { type: code, message: `provider returned status ${response.status}` },
  });
  const answer = upstreamErrorResponse({
    status: response.status,
    text,
    headers: response.headers,
    code,
    providerId: input.attempt.provider.id,
    dialect: input.dialect,
    crossFormat: input.exchange.crossFormat,
  });
  const retryable = response.status === 429 || response.status >= 500;
  return {
    kind: 'failed',
    response: answer,
    failure: { retryable, retryAfterMs: retryAfterMs(response.headers) },
  };
}
