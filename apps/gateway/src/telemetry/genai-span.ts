/**
 * The GenAI span of one upstream attempt (SPEC §5): kind CLIENT, named `{operation} {model}`,
 * child of the HTTP span, with every attribute only when set, identical for streamed and
 * non-streamed calls; one `tool_call.<fn>` INTERNAL child per tool call in the answer. Also
 * records the attempt's metrics.
 */
import {
  ATTR_ERROR_TYPE,
  ATTR_GATEWAY_EXPERIMENT_NAME,
  ATTR_GATEWAY_EXPERIMENT_VARIANT,
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_SERVER_OUTPUT_TOKENS_PER_SECOND,
  ATTR_GEN_AI_SERVER_REQUEST_DURATION,
  ATTR_GEN_AI_SERVER_TIME_PER_OUTPUT_TOKEN,
  ATTR_GEN_AI_SERVER_TIME_TO_FIRST_TOKEN,
  ATTR_GEN_AI_SYSTEM_INSTRUCTIONS,
  ATTR_GEN_AI_TOOL_CALL_ARGUMENTS,
  ATTR_GEN_AI_TOOL_CALL_ID,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_TOOL_TYPE,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_COST,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  type Attributes,
  costOf,
  genAiSpanName,
  randomSpanId,
  toolCallSpanName,
} from '@to11/trace-core';
import type { RequestTelemetry, ResponseTelemetry } from '../wire/types.ts';
import { secondsBetween } from './clock.ts';
import { captureJson, truncateUtf8 } from './content-capture.ts';
import type { GatewayMetrics, MetricScope } from './gateway-metrics.ts';
import type { RequestTrace } from './request-trace.ts';

/** What is known when an attempt starts. */
export interface GenAiCall {
  spanId: string;
  startNs: bigint;
  request: RequestTelemetry;
  providerId: string;
  /** Model sent upstream (prefix removed, or the route target's model). */
  model: string;
  serverAddress: string;
  serverPort: number;
  routing: Attributes;
  /** Client context attributes (user, session, conversation, environment, prompt). */
  context: Attributes;
  scope: MetricScope;
  capture: { enabled: boolean; maxBytes: number };
}

/** How the attempt ended. */
export interface GenAiOutcome {
  /** When the upstream answered with headers / finished sending. */
  upstreamEndNs: bigint;
  /** First content delta (streams) or the full answer (non-streamed). */
  firstTokenNs?: bigint | undefined;
  endNs: bigint;
  response?: ResponseTelemetry | undefined;
  error?: { type: string; message: string } | undefined;
}

function set(attributes: Attributes, key: string, value: Attributes[string] | undefined): void {
  if (value !== undefined) attributes[key] = value;
}

/** Records the GenAI span (and tool-call spans) on the trace and the attempt's metrics. */
export function recordGenAiSpan(
  trace: RequestTrace,
  metrics: GatewayMetrics,
  call: GenAiCall,
  outcome: GenAiOutcome,
): void {
  const { request } = call;
  const response = outcome.response;
  const attributes: Attributes = {
    [ATTR_GEN_AI_OPERATION_NAME]: request.operation,
    [ATTR_GEN_AI_PROVIDER_NAME]: call.providerId,
    [ATTR_GEN_AI_REQUEST_MODEL]: call.model,
    ...request.attributes,
    [ATTR_SERVER_ADDRESS]: call.serverAddress,
    [ATTR_SERVER_PORT]: call.serverPort,
  };
  const usage = response?.usage ?? {};
  set(attributes, ATTR_GEN_AI_RESPONSE_ID, response?.id);
  set(attributes, ATTR_GEN_AI_RESPONSE_MODEL, response?.model);
  set(attributes, ATTR_GEN_AI_RESPONSE_FINISH_REASONS, response?.finishReasons);
  set(attributes, ATTR_GEN_AI_USAGE_INPUT_TOKENS, usage.inputTokens);
  set(attributes, ATTR_GEN_AI_USAGE_OUTPUT_TOKENS, usage.outputTokens);
  set(attributes, ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, usage.cacheReadTokens);
  set(attributes, ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS, usage.cacheWriteTokens);
  set(attributes, ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS, usage.reasoningTokens);
  set(attributes, ATTR_GEN_AI_USAGE_COST, costOf([response?.model, call.model], usage));

  const duration = secondsBetween(call.startNs, outcome.upstreamEndNs);
  const timing = timingOf(call, outcome, duration, usage.outputTokens);
  attributes[ATTR_GEN_AI_SERVER_REQUEST_DURATION] = duration;
  set(attributes, ATTR_GEN_AI_SERVER_TIME_TO_FIRST_TOKEN, timing.ttft);
  set(attributes, ATTR_GEN_AI_SERVER_TIME_PER_OUTPUT_TOKEN, timing.perToken);
  set(attributes, ATTR_GEN_AI_SERVER_OUTPUT_TOKENS_PER_SECOND, timing.tokensPerSecond);
  Object.assign(attributes, call.context, call.routing);

  if (call.capture.enabled) {
    const max = call.capture.maxBytes;
    if (request.input && request.input.length > 0) {
      attributes[ATTR_GEN_AI_INPUT_MESSAGES] = captureJson(request.input, max);
    }
    if (request.system)
      attributes[ATTR_GEN_AI_SYSTEM_INSTRUCTIONS] = captureJson(request.system, max);
    if (response?.output)
      attributes[ATTR_GEN_AI_OUTPUT_MESSAGES] = captureJson(response.output, max);
  }
  if (outcome.error) attributes[ATTR_ERROR_TYPE] = outcome.error.type;

  trace.addSpan({
    spanId: call.spanId,
    parentSpanId: trace.spanId,
    name: genAiSpanName(request.operation, call.model),
    kind: 'CLIENT',
    startTimeUnixNano: call.startNs,
    endTimeUnixNano: outcome.endNs,
    status: outcome.error ? { code: 'ERROR', message: outcome.error.message } : { code: 'OK' },
    attributes,
  });
  for (const tool of response?.toolCalls ?? []) {
    const toolAttributes: Attributes = {
      [ATTR_GEN_AI_TOOL_NAME]: tool.name,
      [ATTR_GEN_AI_TOOL_TYPE]: 'function',
    };
    set(toolAttributes, ATTR_GEN_AI_TOOL_CALL_ID, tool.id);
    if (call.capture.enabled && tool.arguments !== undefined) {
      toolAttributes[ATTR_GEN_AI_TOOL_CALL_ARGUMENTS] = truncateUtf8(
        tool.arguments,
        call.capture.maxBytes,
      );
    }
    trace.addSpan({
      spanId: randomSpanId(),
      parentSpanId: call.spanId,
      name: toolCallSpanName(tool.name),
      kind: 'INTERNAL',
      startTimeUnixNano: tool.startNs,
      endTimeUnixNano: tool.endNs,
      status: { code: 'UNSET' },
      attributes: toolAttributes,
    });
  }
  metrics.record({
    scope: call.scope,
    operation: request.operation,
    provider: call.providerId,
    requestModel: call.model,
    responseModel: response?.model,
    serverAddress: call.serverAddress,
    serverPort: call.serverPort,
    durationS: secondsBetween(call.startNs, outcome.endNs),
    requestDurationS: duration,
    timeToFirstTokenS: timing.ttft,
    timePerOutputTokenS: timing.perToken,
    outputTokensPerSecond: timing.tokensPerSecond,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    finishReasons: response?.finishReasons,
    errorType: outcome.error?.type,
    experiment: experimentOf(call.routing),
  });
}

function experimentOf(routing: Attributes): { name: string; variant: string } | undefined {
  const name = routing[ATTR_GATEWAY_EXPERIMENT_NAME];
  const variant = routing[ATTR_GATEWAY_EXPERIMENT_VARIANT];
  return typeof name === 'string' && typeof variant === 'string' ? { name, variant } : undefined;
}

function timingOf(
  call: GenAiCall,
  outcome: GenAiOutcome,
  duration: number,
  outputTokens: number | undefined,
): { ttft?: number; perToken?: number; tokensPerSecond?: number } {
  if (call.scope !== 'all' || outcome.firstTokenNs === undefined) return {};
  const ttft = secondsBetween(call.startNs, outcome.firstTokenNs);
  if (!outputTokens || outputTokens <= 0 || duration <= 0) return { ttft };
  const afterFirst = secondsBetween(outcome.firstTokenNs, outcome.upstreamEndNs);
  const perToken =
    outputTokens > 1 && afterFirst > 0 ? afterFirst / (outputTokens - 1) : duration / outputTokens;
  return { ttft, perToken, tokensPerSecond: outputTokens / duration };
}
