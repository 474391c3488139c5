/**
 * The caller's answer from a successful upstream response: a buffered JSON answer (translated
 * for cross-format calls) or a relayed stream, written to the node response directly (the
 * attempt then returns {@link ALREADY_ANSWERED}). The GenAI span is recorded when the answer is known:
 * for an untranslated JSON answer just after it went out, for a stream when the stream ends.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import { errorResponse, type GatewayError } from '../errors.ts';
import { flagStreamedAnswer, guardAnswer } from '../guardrails/guard-answer.ts';
import { relayToNode } from '../node-io/node-relay.ts';
import { ALREADY_ANSWERED, sendComplete } from '../node-io/node-response.ts';
import type { RelayOptions, RelayOutcome } from '../node-io/relay-core.ts';
import type { UpstreamCall, UpstreamResponse } from '../node-io/upstream-call.ts';
import { nowNs } from '../telemetry/clock.ts';
import { type GenAiCall, type GenAiOutcome, recordGenAiSpan } from '../telemetry/genai-span.ts';
import { asObject } from '../wire/json-fields.ts';
import type { AttemptInput } from './attempt-input.ts';
import { streamErrorEvent } from './stream-error-event.ts';
import { type HeaderRecord, responseHeaders } from './upstream-headers.ts';

/** Records the attempt's GenAI span (and tool-call spans) and metrics. */
export function finishAttempt(input: AttemptInput, call: GenAiCall, outcome: GenAiOutcome): void {
  recordGenAiSpan(input.trace, input.deps.metrics, call, outcome);
  input.limits.settle(outcome.response?.usage, [outcome.response?.model, call.model]);
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

/** A complete answer, written to the node response. */
function completeAnswer(
  input: AttemptInput,
  status: number,
  headers: HeaderRecord,
  body: string | Buffer,
): Response {
  if (input.cache && status === 200) {
    headers['x-to11-cache'] = input.cache.header;
    const text = typeof body === 'string' ? body : body.toString('utf8');
    input.cache.store(String(headers['content-type'] ?? 'application/json'), text);
  }
  sendComplete(input.outgoing, status, headers, body);
  return ALREADY_ANSWERED;
}

/**
 * Answers with the upstream bytes unchanged, then parses them for the GenAI span once the
 * answer is out (the HTTP span waits for it).
 */
function passThrough(
  input: AttemptInput,
  call: GenAiCall,
  response: UpstreamResponse,
  bytes: Buffer,
  endNs: bigint,
): Response {
  const release = input.trace.hold();
  setImmediate(() => {
    try {
      const text = bytes.toString('utf8');
      finishAttempt(input, call, bufferedOutcome(input, parseJson(text), text, endNs));
    } catch (error) {
      // Outside the request now: a telemetry bug must not take the process down.
      const message = error instanceof Error ? error.message : String(error);
      input.deps.logger.error({ err: { message } }, 'recording the GenAI span failed');
    } finally {
      release();
    }
  });
  return completeAnswer(
    input,
    response.status,
    responseHeaders(response.headers, undefined),
    bytes,
  );
}

/** The answer of a buffered (non-streamed) upstream response, read whole as `bytes`. */
export function bufferedAnswer(
  input: AttemptInput,
  call: GenAiCall,
  response: UpstreamResponse,
  upstreamBytes: Buffer,
): Response {
  const endNs = nowNs();
  const guarded = guardAnswer(input.deps, input.context, response.status, upstreamBytes);
  if ('blocked' in guarded)
    return blockedAnswer(input, call, upstreamBytes, endNs, guarded.blocked);
  const bytes = guarded.bytes;
  const translate = input.exchange.translateResponse;
  if (!translate) return passThrough(input, call, response, bytes, endNs);
  const text = bytes.toString('utf8');
  const json = parseJson(text);
  finishAttempt(input, call, bufferedOutcome(input, json, text, endNs));
  const body = json ? JSON.stringify(translate(json)) : text;
  const headers = responseHeaders(response.headers, 'application/json');
  return completeAnswer(input, response.status, headers, body);
}

/** An answer the output guardrails blocked: the call is recorded, the caller gets a 400. */
function blockedAnswer(
  input: AttemptInput,
  call: GenAiCall,
  bytes: Buffer,
  endNs: bigint,
  error: GatewayError,
): Response {
  const text = bytes.toString('utf8');
  finishAttempt(input, call, bufferedOutcome(input, parseJson(text), text, endNs));
  return errorResponse(error, input.dialect);
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

/** The answer of a streamed (or binary) upstream response, relayed as it arrives. */
export function relayedAnswer(
  input: AttemptInput,
  call: GenAiCall,
  handle: UpstreamCall,
  response: UpstreamResponse,
  stripUsage: boolean,
): Response {
  handle.streamStarted(input.deps.config.streamIdleTimeoutMs);
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
  const sent: (string | Uint8Array)[] | null = input.cache ? [] : null;
  const options: RelayOptions = {
    body: response.body,
    accumulator,
    mode,
    ...(exchange.translator ? { translator: exchange.translator(input.request) } : {}),
    errorEvent: (message) => streamErrorEvent(input.caller, message),
    abortUpstream: () => handle.abortForClient(),
    onEnd: (outcome) => {
      handle.dispose();
      const error = relayError(outcome);
      const result = accumulator?.result();
      flagStreamedAnswer(input.deps, input.context, result);
      finishAttempt(input, call, {
        upstreamEndNs: outcome.endNs,
        firstTokenNs: outcome.firstContentNs ?? outcome.firstByteNs ?? outcome.endNs,
        endNs: outcome.endNs,
        response: result,
        error,
      });
      if (sent && input.cache && outcome.kind === 'complete' && response.status === 200) {
        const text = Buffer.concat(sent.map((part) => Buffer.from(part))).toString('utf8');
        input.cache.store(String(headers['content-type'] ?? 'text/event-stream'), text);
      }
      if (error) input.trace.fail(error.message);
      release();
    },
  };
  const headers: OutgoingHttpHeaders = responseHeaders(
    response.headers,
    exchange.translator ? 'text/event-stream; charset=utf-8' : undefined,
  );
  headers['cache-control'] = 'no-cache';
  if (input.cache && response.status === 200) headers['x-to11-cache'] = input.cache.header;
  relayToNode(options, {
    outgoing: input.outgoing,
    status: response.status,
    headers,
    upstreamReceived: response.received,
    ...(sent ? { tap: (data: string | Uint8Array) => sent.push(data) } : {}),
  });
  return ALREADY_ANSWERED;
}
