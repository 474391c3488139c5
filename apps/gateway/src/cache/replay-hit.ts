/**
 * Answers a cache hit: the stored JSON answer, or the stored SSE events as a stream, with
 * `x-to11-cache: hit`, `age` and `x-to11-cache-type: exact | semantic` (a semantic hit also
 * `x-to11-cache-similarity`). Its GenAI span names the route's first target as a normal
 * attempt would, carries `gateway.cache.hit = true` and counts zero tokens (so zero cost):
 * nothing was asked of the provider.
 */
import type { ServerResponse } from 'node:http';
import { type Attributes, randomSpanId } from '@to11/trace-core';
import { createParser } from 'eventsource-parser';
import type { AppDeps } from '../env.ts';
import { type CallerFormat, exchangeFor } from '../invoke/exchange.ts';
import type { ParsedRequest } from '../invoke/read-request.ts';
import { ALREADY_ANSWERED, sendComplete } from '../node-io/node-response.ts';
import type { PlannedAttempt } from '../routing/route-plan.ts';
import { nowNs } from '../telemetry/clock.ts';
import type { MetricScope } from '../telemetry/gateway-metrics.ts';
import { recordGenAiSpan } from '../telemetry/genai-span.ts';
import type { RequestTrace } from '../telemetry/request-trace.ts';
import { asObject } from '../wire/json-fields.ts';
import { emptyResponse, type ResponseTelemetry } from '../wire/types.ts';
import type { CacheEntry, CacheHitSource } from './exact-cache.ts';

/** What a hit is answered and recorded with. */
export interface CacheHit {
  deps: AppDeps;
  trace: RequestTrace;
  outgoing: ServerResponse;
  caller: CallerFormat;
  scope: MetricScope;
  request: ParsedRequest;
  /** The attempt the call would have made first (provider and model of the span). */
  attempt: PlannedAttempt;
  context: Attributes;
  entry: CacheEntry;
  ageS: number;
  source: CacheHitSource;
}

/** The telemetry of the stored answer, read as the caller's own format, usage zeroed. */
function storedTelemetry(caller: CallerFormat, entry: CacheEntry, atNs: bigint): ResponseTelemetry {
  const exchange = exchangeFor(caller, caller === 'messages' ? 'anthropic' : 'openai');
  let telemetry = emptyResponse();
  if (exchange && entry.stream) {
    const accumulator = exchange.accumulator();
    if (accumulator) {
      const parser = createParser({ onEvent: (event) => accumulator.onEvent(event, atNs) });
      parser.feed(entry.body);
      telemetry = accumulator.result();
    }
  } else if (exchange) {
    try {
      telemetry = exchange.parseResponse(asObject(JSON.parse(entry.body)) ?? entry.body, atNs);
    } catch {
      telemetry = emptyResponse();
    }
  }
  return { ...telemetry, usage: { inputTokens: 0, outputTokens: 0 } };
}

/** Writes the hit to the node response and records its GenAI span. */
export function replayHit(hit: CacheHit): Response {
  const { entry, attempt, deps } = hit;
  const startNs = nowNs();
  const headers: Record<string, string> = {
    'content-type': entry.contentType,
    'x-to11-cache': 'hit',
    age: String(hit.ageS),
    'x-to11-cache-type': hit.source.type,
  };
  if (hit.source.similarity !== undefined) {
    headers['x-to11-cache-similarity'] = String(hit.source.similarity);
  }
  if (entry.stream) headers['cache-control'] = 'no-cache';
  sendComplete(hit.outgoing, 200, headers, entry.body);
  const url = new URL(attempt.provider.baseUrl);
  const endNs = nowNs();
  recordGenAiSpan(
    hit.trace,
    deps.metrics,
    {
      spanId: randomSpanId(),
      startNs,
      request: hit.request.telemetry,
      providerId: attempt.provider.id,
      model: attempt.model,
      serverAddress: url.hostname,
      serverPort: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80,
      routing: attempt.routing,
      context: hit.context,
      scope: hit.scope,
      capture: { enabled: deps.config.captureContent, maxBytes: deps.config.maxContentBytes },
    },
    {
      upstreamEndNs: endNs,
      firstTokenNs: endNs,
      endNs,
      response: storedTelemetry(hit.caller, entry, endNs),
    },
  );
  return ALREADY_ANSWERED;
}
