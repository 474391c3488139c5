/**
 * One upstream attempt: its GenAI span, the upstream request (trace context injected with the
 * GenAI span id), and the answer: buffered JSON, a relayed stream, or a classified failure.
 * The span is recorded when the attempt ends, which for a stream is when the stream ends.
 */
import { type Attributes, randomSpanId } from '@to11/trace-core';
import type { ProviderSettings } from '../config-types.ts';
import type { AppDeps } from '../env.ts';
import { type ErrorDialect, errorResponse, GatewayError } from '../errors.ts';
import { asObject } from '../formats/json-fields.ts';
import { adapterFor } from '../providers/index.ts';
import type { AttemptFailure, PlannedAttempt } from '../routing/route-plan.ts';
import { nowNs } from '../telemetry/clock.ts';
import type { MetricScope } from '../telemetry/gateway-metrics.ts';
import { type GenAiCall, type GenAiOutcome, recordGenAiSpan } from '../telemetry/genai-span.ts';
import type { RequestTrace } from '../telemetry/request-trace.ts';
import type { CallerFormat, Exchange } from './exchange.ts';
import type { ParsedRequest } from './read-request.ts';
import { streamErrorEvent } from './stream-error-event.ts';
import { type RelayOutcome, relayStream } from './stream-relay.ts';
import { type CallFailure, UpstreamCall, type UpstreamResponse } from './upstream-call.ts';
import { classifyUpstream, retryAfterMs, upstreamErrorResponse } from './upstream-errors.ts';
import { responseHeaders, upstreamHeaders } from './upstream-headers.ts';

/** Everything one attempt needs. */
export interface AttemptInput {
  deps: AppDeps;
  trace: RequestTrace;
  caller: CallerFormat;
  dialect: ErrorDialect;
  scope: MetricScope;
  request: ParsedRequest;
  exchange: Exchange;
  attempt: PlannedAttempt;
  context: Attributes;
  callerKey: string | undefined;
  incoming: Headers;
  clientSignal: AbortSignal | undefined;
}

/** An answer for the caller, or a failure the route plan may retry. */
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
  const endpointPath = adapterFor(attempt.provider.id, attempt.provider.format).endpointPath(
    exchange.endpoint,
  );
  const url = `${attempt.provider.baseUrl}${endpointPath ?? ''}`;
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
  const handle = new UpstreamCall(attempt.timeoutMs, input.clientSignal);
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
    return { kind: 'done', response: relay(input, call, handle, response, upstream.stripUsage) };
  }
  return buffered(input, call, handle, response);
}

function finish(input: AttemptInput, call: GenAiCall, outcome: GenAiOutcome): void {
  recordGenAiSpan(input.trace, input.deps.metrics, call, outcome);
}

function callFailed(input: AttemptInput, call: GenAiCall, failure: CallFailure): AttemptResult {
  const now = nowNs();
  const type =
    failure.kind === 'timeout'
      ? 'timeout'
      : failure.kind === 'client_abort'
        ? 'client_disconnected'
        : 'upstream';
  finish(input, call, {
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
  finish(input, call, {
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

async function buffered(
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
  const endNs = nowNs();
  const translate = input.exchange.translateResponse;
  if (!translate) {
    // The upstream text goes back unchanged: answer at once, and parse it for the GenAI span
    // once the answer is out (the HTTP span waits for it).
    const release = input.trace.hold();
    setImmediate(() => {
      try {
        finish(input, call, bufferedOutcome(input, parseJson(text), text, endNs));
      } catch (error) {
        // Outside the request now: a telemetry bug must not take the process down.
        const message = error instanceof Error ? error.message : String(error);
        input.deps.logger.error({ err: { message } }, 'recording the GenAI span failed');
      } finally {
        release();
      }
    });
    const headers = responseHeaders(response.headers, undefined);
    return { kind: 'done', response: new Response(text, { status: response.status, headers }) };
  }
  const json = parseJson(text);
  finish(input, call, bufferedOutcome(input, json, text, endNs));
  const body = json ? JSON.stringify(translate(json)) : text;
  const headers = responseHeaders(response.headers, 'application/json');
  return { kind: 'done', response: new Response(body, { status: response.status, headers }) };
}

function parseJson(text: string): ReturnType<typeof asObject> {
  try {
    return asObject(JSON.parse(text));
  } catch {
    return undefined;
  }
}

function bufferedOutcome(
  input: AttemptInput,
  json: ReturnType<typeof asObject>,
  text: string,
  endNs: bigint,
): GenAiOutcome {
  const telemetry = input.exchange.parseResponse(json ?? text, endNs);
  return { upstreamEndNs: endNs, firstTokenNs: endNs, endNs, response: telemetry };
}

function relay(
  input: AttemptInput,
  call: GenAiCall,
  handle: UpstreamCall,
  response: UpstreamResponse,
  stripUsage: boolean,
): Response {
  handle.disarmTimeout();
  const release = input.trace.hold();
  const { exchange } = input;
  const mode = exchange.binary
    ? 'bytes'
    : exchange.translator
      ? 'translate'
      : stripUsage
        ? 'filter'
        : 'bytes';
  const accumulator = exchange.binary ? null : exchange.accumulator();
  const stream = relayStream({
    body: response.body,
    accumulator,
    mode,
    ...(exchange.translator ? { translator: exchange.translator(input.request) } : {}),
    errorEvent: (message) => streamErrorEvent(input.caller, message),
    abortUpstream: () => handle.abortForClient(),
    onEnd: (outcome) => {
      handle.dispose();
      const error = relayError(outcome);
      finish(input, call, {
        upstreamEndNs: outcome.endNs,
        firstTokenNs: outcome.firstContentNs ?? outcome.firstByteNs ?? outcome.endNs,
        endNs: outcome.endNs,
        response: accumulator?.result(),
        error,
      });
      if (error) input.trace.fail(error.message);
      release();
    },
  });
  const headers = responseHeaders(
    response.headers,
    exchange.translator ? 'text/event-stream; charset=utf-8' : undefined,
  );
  headers['cache-control'] = 'no-cache';
  return new Response(stream, { status: response.status, headers });
}

function relayError(outcome: RelayOutcome): GenAiOutcome['error'] {
  switch (outcome.kind) {
    case 'complete':
      return undefined;
    case 'client_abort':
      return { type: 'client_disconnected', message: 'client disconnected' };
    case 'cut':
    case 'upstream_error':
      return { type: 'upstream', message: outcome.message ?? 'upstream stream failed' };
  }
}
