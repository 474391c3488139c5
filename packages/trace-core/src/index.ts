export type {
  ExportTracePartialSuccess,
  ExportTraceServiceRequest,
  ExportTraceServiceResponse,
} from './gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts';
export {
  ExportTracePartialSuccessSchema,
  ExportTraceServiceRequestSchema,
  ExportTraceServiceResponseSchema,
  TraceService,
} from './gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts';
export type {
  AnyValue,
  ArrayValue,
  InstrumentationScope,
  KeyValue,
  KeyValueList,
} from './gen/opentelemetry/proto/common/v1/common_pb.ts';
export {
  AnyValueSchema,
  ArrayValueSchema,
  InstrumentationScopeSchema,
  KeyValueListSchema,
  KeyValueSchema,
} from './gen/opentelemetry/proto/common/v1/common_pb.ts';
export type { Resource } from './gen/opentelemetry/proto/resource/v1/resource_pb.ts';
export { ResourceSchema } from './gen/opentelemetry/proto/resource/v1/resource_pb.ts';
export type {
  ResourceSpans,
  ScopeSpans,
  Span,
  Span_Event,
  Span_Link,
  Status,
} from './gen/opentelemetry/proto/trace/v1/trace_pb.ts';
export {
  ResourceSpansSchema,
  ScopeSpansSchema,
  Span_EventSchema,
  Span_LinkSchema,
  Span_SpanKind,
  SpanFlags,
  SpanSchema,
  Status_StatusCode,
  StatusSchema,
} from './gen/opentelemetry/proto/trace/v1/trace_pb.ts';
export {
  ATTR_GEN_AI_RESPONSE_FINISH_REASON,
  GEN_AI_DURATION_BUCKETS,
  GEN_AI_TIME_PER_OUTPUT_TOKEN_BUCKETS,
  GEN_AI_TIME_TO_FIRST_TOKEN_BUCKETS,
  GEN_AI_TOKEN_USAGE_BUCKETS,
  METRIC_GEN_AI_CLIENT_ERRORS,
  METRIC_GEN_AI_CLIENT_FINISH_REASONS,
  METRIC_GEN_AI_CLIENT_OPERATION_DURATION,
  METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
  METRIC_GEN_AI_SERVER_REQUEST_DURATION,
  METRIC_GEN_AI_SERVER_TIME_PER_OUTPUT_TOKEN,
  METRIC_GEN_AI_SERVER_TIME_TO_FIRST_TOKEN,
} from './genai-metrics.ts';
export type { ClientContextOperation, GenAiOperationName } from './genai-operations.ts';
export {
  CLIENT_CONTEXT_OPERATIONS,
  GEN_AI_OPERATION_NAMES,
  isClientContextOperation,
  isGenAiOperationName,
} from './genai-operations.ts';
export {
  CONVENTIONS,
  type ConventionName,
  type GenAiEvent,
  type GenAiFields,
  type GenAiMessage,
  type GenAiPart,
  type GenAiView,
  genAiMessages,
  genAiView,
  normalizeProvider,
} from './genai-view/index.ts';
export { bytesToHex, hexToBytes, isAllZeroBytes } from './hex.ts';
export { isValidSpanId, isValidTraceId, randomSpanId, randomTraceId } from './ids.ts';
export {
  decodeRequestSpans,
  decodeResourceSpansParts,
  decodeSpans,
} from './otlp/decode-spans.ts';
export type { SpanDecodeOptions, SpanDecodeResult, SpanRejection } from './otlp/span-fields.ts';
export type { AttributeLimits } from './otlp-attributes.ts';
export type { OtlpDecodeError } from './otlp-json.ts';
export {
  isOtlpDecodeError,
  otlpJsonToProtobuf,
  parseOtlpJsonRequest,
  parseOtlpProtobufRequest,
} from './otlp-json.ts';
export { costOf, priceOf, type TokenUsage } from './pricing/cost.ts';
export { type ModelPrice, PRICES } from './pricing/prices.ts';
export { bindProject, bindResourceAttributes, withoutProjectId } from './project-binding.ts';
export {
  ATTR_DEPLOYMENT_ENVIRONMENT_NAME,
  ATTR_ERROR_TYPE,
  ATTR_GATEWAY_ATTEMPT,
  ATTR_GATEWAY_EXPERIMENT_NAME,
  ATTR_GATEWAY_EXPERIMENT_VARIANT,
  ATTR_GATEWAY_FALLBACK_DEGRADED,
  ATTR_GATEWAY_FALLBACK_INDEX,
  ATTR_GATEWAY_FUNCTION_NAME,
  ATTR_GATEWAY_RETRY_ATTEMPTS,
  ATTR_GATEWAY_RETRY_EXCLUDED_TARGET,
  ATTR_GATEWAY_RETRY_EXHAUSTION_RESETS,
  ATTR_GATEWAY_RETRY_TARGET_EXCLUSIONS,
  ATTR_GATEWAY_ROUTE_NAME,
  ATTR_GATEWAY_ROUTING_LAYER,
  ATTR_GATEWAY_ROUTING_STEP,
  ATTR_GATEWAY_ROUTING_STRATEGY,
  ATTR_GATEWAY_TARGET_NAME,
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT,
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_OUTPUT_TYPE,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_CHOICE_COUNT,
  ATTR_GEN_AI_REQUEST_ENCODING_FORMATS,
  ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY,
  ATTR_GEN_AI_REQUEST_SEED,
  ATTR_GEN_AI_REQUEST_STOP_SEQUENCES,
  ATTR_GEN_AI_REQUEST_STREAM,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_REQUEST_TOP_K,
  ATTR_GEN_AI_REQUEST_TOP_P,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_SERVER_OUTPUT_TOKENS_PER_SECOND,
  ATTR_GEN_AI_SERVER_REQUEST_DURATION,
  ATTR_GEN_AI_SERVER_TIME_PER_OUTPUT_TOKEN,
  ATTR_GEN_AI_SERVER_TIME_TO_FIRST_TOKEN,
  ATTR_GEN_AI_SESSION_ID,
  ATTR_GEN_AI_SYSTEM_INSTRUCTIONS,
  ATTR_GEN_AI_TOKEN_TYPE,
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
  ATTR_GEN_AI_USER_ID,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_PROJECT_ID,
  ATTR_PROMPT_ID,
  ATTR_PROMPT_VERSION,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_PATH,
} from './semconv.ts';
export type {
  Attributes,
  AttributeValue,
  SpanEvent,
  SpanKind,
  SpanLink,
  SpanRecord,
  SpanResource,
  SpanScope,
  SpanSource,
  SpanStatus,
  StatusCode,
} from './span-model.ts';
export { genAiSpanName, toolCallSpanName } from './span-name.ts';
export type { TraceContext, TraceparentFields } from './traceparent.ts';
export { formatTraceparent, parseTraceparent, TRACE_FLAG_SAMPLED } from './traceparent.ts';
export type { TracestateEntry } from './tracestate.ts';
export { formatTracestate, parseTracestate, TRACESTATE_MAX_MEMBERS } from './tracestate.ts';
