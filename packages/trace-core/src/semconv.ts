/**
 * Span attribute names written by to11 (SPEC §5, §9).
 *
 * Follows OpenTelemetry Semantic Conventions v1.45.0 (`@opentelemetry/semantic-conventions`
 * 1.45.0) for the GenAI, server, error, HTTP and deployment names. From v1.45.0 the GenAI
 * names are marked deprecated in the JS package because they moved to the
 * semantic-conventions-genai repository; the names themselves are unchanged, so they are
 * imported here (a rename upstream fails the build) and re-exported without the deprecation.
 * Names the conventions do not define are to11's own and are spelled out below.
 */
import {
  ATTR_ERROR_TYPE as SC_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD as SC_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE as SC_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE as SC_HTTP_ROUTE,
  ATTR_SERVER_ADDRESS as SC_SERVER_ADDRESS,
  ATTR_SERVER_PORT as SC_SERVER_PORT,
  ATTR_URL_PATH as SC_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import {
  ATTR_GEN_AI_CONVERSATION_ID as SC_CONVERSATION_ID,
  ATTR_DEPLOYMENT_ENVIRONMENT_NAME as SC_DEPLOYMENT_ENVIRONMENT_NAME,
  ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT as SC_EMBEDDINGS_DIMENSION_COUNT,
  ATTR_GEN_AI_INPUT_MESSAGES as SC_INPUT_MESSAGES,
  ATTR_GEN_AI_OPERATION_NAME as SC_OPERATION_NAME,
  ATTR_GEN_AI_OUTPUT_MESSAGES as SC_OUTPUT_MESSAGES,
  ATTR_GEN_AI_OUTPUT_TYPE as SC_OUTPUT_TYPE,
  ATTR_GEN_AI_PROVIDER_NAME as SC_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_CHOICE_COUNT as SC_REQUEST_CHOICE_COUNT,
  ATTR_GEN_AI_REQUEST_ENCODING_FORMATS as SC_REQUEST_ENCODING_FORMATS,
  ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY as SC_REQUEST_FREQUENCY_PENALTY,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS as SC_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_MODEL as SC_REQUEST_MODEL,
  ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY as SC_REQUEST_PRESENCE_PENALTY,
  ATTR_GEN_AI_REQUEST_SEED as SC_REQUEST_SEED,
  ATTR_GEN_AI_REQUEST_STOP_SEQUENCES as SC_REQUEST_STOP_SEQUENCES,
  ATTR_GEN_AI_REQUEST_STREAM as SC_REQUEST_STREAM,
  ATTR_GEN_AI_REQUEST_TEMPERATURE as SC_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_REQUEST_TOP_K as SC_REQUEST_TOP_K,
  ATTR_GEN_AI_REQUEST_TOP_P as SC_REQUEST_TOP_P,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS as SC_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID as SC_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL as SC_RESPONSE_MODEL,
  ATTR_GEN_AI_SYSTEM_INSTRUCTIONS as SC_SYSTEM_INSTRUCTIONS,
  ATTR_GEN_AI_TOKEN_TYPE as SC_TOKEN_TYPE,
  ATTR_GEN_AI_TOOL_CALL_ARGUMENTS as SC_TOOL_CALL_ARGUMENTS,
  ATTR_GEN_AI_TOOL_CALL_ID as SC_TOOL_CALL_ID,
  ATTR_GEN_AI_TOOL_NAME as SC_TOOL_NAME,
  ATTR_GEN_AI_TOOL_TYPE as SC_TOOL_TYPE,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS as SC_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS as SC_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS as SC_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS as SC_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS as SC_USAGE_REASONING_OUTPUT_TOKENS,
} from '@opentelemetry/semantic-conventions/incubating';

// Core GenAI (semconv).
/** `gen_ai.operation.name`: one of {@link GEN_AI_OPERATION_NAMES}. */
export const ATTR_GEN_AI_OPERATION_NAME = SC_OPERATION_NAME;
/** `gen_ai.provider.name`: the canonical provider id (`openai`, `anthropic`, …). */
export const ATTR_GEN_AI_PROVIDER_NAME = SC_PROVIDER_NAME;
/** `gen_ai.request.model`: the model sent to the attempt's target. */
export const ATTR_GEN_AI_REQUEST_MODEL = SC_REQUEST_MODEL;
/** `gen_ai.response.model`: the model the upstream reported. */
export const ATTR_GEN_AI_RESPONSE_MODEL = SC_RESPONSE_MODEL;
/** `gen_ai.response.id`: the upstream response id. */
export const ATTR_GEN_AI_RESPONSE_ID = SC_RESPONSE_ID;
/** `gen_ai.response.finish_reasons`: string array, one per choice. */
export const ATTR_GEN_AI_RESPONSE_FINISH_REASONS = SC_RESPONSE_FINISH_REASONS;
/** `gen_ai.output.type`: `text`, `json`, `image` or `speech`. */
export const ATTR_GEN_AI_OUTPUT_TYPE = SC_OUTPUT_TYPE;
/** `gen_ai.token.type`: `input` or `output` (token-usage metric dimension). */
export const ATTR_GEN_AI_TOKEN_TYPE = SC_TOKEN_TYPE;

// Usage (semconv) and cost (to11).
/** `gen_ai.usage.input_tokens` (int). */
export const ATTR_GEN_AI_USAGE_INPUT_TOKENS = SC_USAGE_INPUT_TOKENS;
/** `gen_ai.usage.output_tokens` (int). */
export const ATTR_GEN_AI_USAGE_OUTPUT_TOKENS = SC_USAGE_OUTPUT_TOKENS;
/** `gen_ai.usage.cache_read.input_tokens` (int): input tokens served from the provider cache. */
export const ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS = SC_USAGE_CACHE_READ_INPUT_TOKENS;
/** `gen_ai.usage.cache_creation.input_tokens` (int): input tokens written to the cache. */
export const ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS = SC_USAGE_CACHE_CREATION_INPUT_TOKENS;
/** `gen_ai.usage.reasoning.output_tokens` (int). */
export const ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS = SC_USAGE_REASONING_OUTPUT_TOKENS;
/** `gen_ai.usage.cost` (double): cost of the call in USD from the price table (to11). */
export const ATTR_GEN_AI_USAGE_COST = 'gen_ai.usage.cost';

// Request parameters (semconv).
/** `gen_ai.request.max_tokens` (int). */
export const ATTR_GEN_AI_REQUEST_MAX_TOKENS = SC_REQUEST_MAX_TOKENS;
/** `gen_ai.request.temperature` (double). */
export const ATTR_GEN_AI_REQUEST_TEMPERATURE = SC_REQUEST_TEMPERATURE;
/** `gen_ai.request.top_p` (double). */
export const ATTR_GEN_AI_REQUEST_TOP_P = SC_REQUEST_TOP_P;
/** `gen_ai.request.top_k` (double). */
export const ATTR_GEN_AI_REQUEST_TOP_K = SC_REQUEST_TOP_K;
/** `gen_ai.request.stop_sequences` (string array). */
export const ATTR_GEN_AI_REQUEST_STOP_SEQUENCES = SC_REQUEST_STOP_SEQUENCES;
/** `gen_ai.request.seed` (int). */
export const ATTR_GEN_AI_REQUEST_SEED = SC_REQUEST_SEED;
/** `gen_ai.request.frequency_penalty` (double). */
export const ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY = SC_REQUEST_FREQUENCY_PENALTY;
/** `gen_ai.request.presence_penalty` (double). */
export const ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY = SC_REQUEST_PRESENCE_PENALTY;
/** `gen_ai.request.choice.count` (int), when not 1. */
export const ATTR_GEN_AI_REQUEST_CHOICE_COUNT = SC_REQUEST_CHOICE_COUNT;
/** `gen_ai.request.stream` (bool). */
export const ATTR_GEN_AI_REQUEST_STREAM = SC_REQUEST_STREAM;
/** `gen_ai.request.encoding_formats` (string array, embeddings). */
export const ATTR_GEN_AI_REQUEST_ENCODING_FORMATS = SC_REQUEST_ENCODING_FORMATS;
/** `gen_ai.embeddings.dimension.count` (int). */
export const ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT = SC_EMBEDDINGS_DIMENSION_COUNT;

// Content capture (semconv).
/** `gen_ai.input.messages`: JSON string, semconv parts form. */
export const ATTR_GEN_AI_INPUT_MESSAGES = SC_INPUT_MESSAGES;
/** `gen_ai.output.messages`: JSON string, semconv parts form. */
export const ATTR_GEN_AI_OUTPUT_MESSAGES = SC_OUTPUT_MESSAGES;
/** `gen_ai.system_instructions`: the system/developer prompt. */
export const ATTR_GEN_AI_SYSTEM_INSTRUCTIONS = SC_SYSTEM_INSTRUCTIONS;

// Tools (semconv).
/** `gen_ai.tool.name`. */
export const ATTR_GEN_AI_TOOL_NAME = SC_TOOL_NAME;
/** `gen_ai.tool.call.id`. */
export const ATTR_GEN_AI_TOOL_CALL_ID = SC_TOOL_CALL_ID;
/** `gen_ai.tool.type`. */
export const ATTR_GEN_AI_TOOL_TYPE = SC_TOOL_TYPE;
/** `gen_ai.tool.call.arguments`. */
export const ATTR_GEN_AI_TOOL_CALL_ARGUMENTS = SC_TOOL_CALL_ARGUMENTS;

// Timing on spans, seconds as double (SPEC §9; to11 names after the semconv metrics).
/** `gen_ai.server.time_to_first_token` (s): time to the first content delta. */
export const ATTR_GEN_AI_SERVER_TIME_TO_FIRST_TOKEN = 'gen_ai.server.time_to_first_token';
/** `gen_ai.server.request.duration` (s): total upstream request duration. */
export const ATTR_GEN_AI_SERVER_REQUEST_DURATION = 'gen_ai.server.request.duration';
/** `gen_ai.server.time_per_output_token` (s): generation time per output token. */
export const ATTR_GEN_AI_SERVER_TIME_PER_OUTPUT_TOKEN = 'gen_ai.server.time_per_output_token';
/** `gen_ai.server.output_tokens_per_second` (double): output throughput. */
export const ATTR_GEN_AI_SERVER_OUTPUT_TOKENS_PER_SECOND = 'gen_ai.server.output_tokens_per_second';

// Client context (semconv where defined, else to11).
/** `gen_ai.user.id`: from `x-to11-user-id` or the body's `user`. */
export const ATTR_GEN_AI_USER_ID = 'gen_ai.user.id';
/** `gen_ai.session.id`: from `x-to11-session-id`. */
export const ATTR_GEN_AI_SESSION_ID = 'gen_ai.session.id';
/** `gen_ai.conversation.id`: from `x-to11-conversation-id` / `x-conversation-id`. */
export const ATTR_GEN_AI_CONVERSATION_ID = SC_CONVERSATION_ID;
/** `deployment.environment.name`: from `x-to11-env` / `x-to11-environment`. */
export const ATTR_DEPLOYMENT_ENVIRONMENT_NAME = SC_DEPLOYMENT_ENVIRONMENT_NAME;

// Routing (to11 `gateway.*`, SPEC §9 "Routing attributes").
/** `gateway.routing.layer`: `function`, `route` or `provider`. */
export const ATTR_GATEWAY_ROUTING_LAYER = 'gateway.routing.layer';
/** `gateway.route.name`: the `[routes.*]` (or function) name that resolved the request. */
export const ATTR_GATEWAY_ROUTE_NAME = 'gateway.route.name';
/** `gateway.routing.strategy`: `single`, `weighted` or `fallback`. */
export const ATTR_GATEWAY_ROUTING_STRATEGY = 'gateway.routing.strategy';
/** `gateway.target.name`: the `[targets.*]` name of this attempt. */
export const ATTR_GATEWAY_TARGET_NAME = 'gateway.target.name';
/** `gateway.attempt` (int): attempt number within one request, from 1. */
export const ATTR_GATEWAY_ATTEMPT = 'gateway.attempt';
/** `gateway.fallback.index` (int): 0 for the first target of a chain, +1 per fallback step. */
export const ATTR_GATEWAY_FALLBACK_INDEX = 'gateway.fallback.index';
/** `gateway.retry.excluded_target` (string[]): targets excluded after failing, so far. */
export const ATTR_GATEWAY_RETRY_EXCLUDED_TARGET = 'gateway.retry.excluded_target';
/** `gateway.function.name`: the `[functions.*]` name (layer `function`). */
export const ATTR_GATEWAY_FUNCTION_NAME = 'gateway.function.name';
/** `gateway.routing.step` (int): index of the route's `steps` entry, from 0. */
export const ATTR_GATEWAY_ROUTING_STEP = 'gateway.routing.step';
/** `gateway.fallback.degraded` (bool): the extra try of the first target after all failed. */
export const ATTR_GATEWAY_FALLBACK_DEGRADED = 'gateway.fallback.degraded';
/** `gateway.retry.attempts` (int): attempts of this request before this one. */
export const ATTR_GATEWAY_RETRY_ATTEMPTS = 'gateway.retry.attempts';
/** `gateway.retry.target_exclusions` (int): targets excluded after failing, so far. */
export const ATTR_GATEWAY_RETRY_TARGET_EXCLUSIONS = 'gateway.retry.target_exclusions';
/** `gateway.retry.exhaustion_resets` (int): resets of the exclusion set, so far. */
export const ATTR_GATEWAY_RETRY_EXHAUSTION_RESETS = 'gateway.retry.exhaustion_resets';
/** `gateway.experiment.name`: the A/B experiment of an `experiment` strategy. */
export const ATTR_GATEWAY_EXPERIMENT_NAME = 'gateway.experiment.name';
/** `gateway.experiment.variant`: the experiment variant that served this attempt. */
export const ATTR_GATEWAY_EXPERIMENT_VARIANT = 'gateway.experiment.variant';

// Server, error, HTTP (stable semconv).
/** `server.address`: upstream host. */
export const ATTR_SERVER_ADDRESS = SC_SERVER_ADDRESS;
/** `server.port` (int): upstream port. */
export const ATTR_SERVER_PORT = SC_SERVER_PORT;
/** `error.type`: the `x-to11-error-code` value or an HTTP status class. */
export const ATTR_ERROR_TYPE = SC_ERROR_TYPE;
/** `http.request.method` (HTTP server span). */
export const ATTR_HTTP_REQUEST_METHOD = SC_HTTP_REQUEST_METHOD;
/** `http.route` (HTTP server span). */
export const ATTR_HTTP_ROUTE = SC_HTTP_ROUTE;
/** `http.response.status_code` (int, HTTP server span). */
export const ATTR_HTTP_RESPONSE_STATUS_CODE = SC_HTTP_RESPONSE_STATUS_CODE;
/** `url.path` (HTTP server span). */
export const ATTR_URL_PATH = SC_URL_PATH;

// Tenancy and provenance (to11).
/** `project.id`: resource attribute naming the owning project on every span (SPEC §3, §9). */
export const ATTR_PROJECT_ID = 'project.id';
/** `prompt.id`: from `x-to11-prompt-id`. */
export const ATTR_PROMPT_ID = 'prompt.id';
/** `prompt.version`: from `x-to11-prompt-version`. */
export const ATTR_PROMPT_VERSION = 'prompt.version';
