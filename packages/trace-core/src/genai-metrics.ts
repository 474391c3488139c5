/**
 * GenAI metric names and histogram bucket boundaries (SPEC §5 "Metrics", §9 "Metric names").
 *
 * Boundaries are the explicit-bucket advice of OpenTelemetry Semantic Conventions v1.45.0
 * (GenAI metrics). SPEC §5 asks for "the semconv bucket boundaries", so the TTFT and
 * time-per-output-token lists follow semconv where the reference's paraphrase abbreviates them.
 */
import {
  METRIC_GEN_AI_CLIENT_OPERATION_DURATION as SC_CLIENT_OPERATION_DURATION,
  METRIC_GEN_AI_CLIENT_TOKEN_USAGE as SC_CLIENT_TOKEN_USAGE,
  METRIC_GEN_AI_SERVER_REQUEST_DURATION as SC_SERVER_REQUEST_DURATION,
  METRIC_GEN_AI_SERVER_TIME_PER_OUTPUT_TOKEN as SC_SERVER_TIME_PER_OUTPUT_TOKEN,
  METRIC_GEN_AI_SERVER_TIME_TO_FIRST_TOKEN as SC_SERVER_TIME_TO_FIRST_TOKEN,
} from '@opentelemetry/semantic-conventions/incubating';

/** `gen_ai.client.operation.duration` histogram (s). */
export const METRIC_GEN_AI_CLIENT_OPERATION_DURATION = SC_CLIENT_OPERATION_DURATION;
/** `gen_ai.client.token.usage` histogram ({token}), dimension `gen_ai.token.type`. */
export const METRIC_GEN_AI_CLIENT_TOKEN_USAGE = SC_CLIENT_TOKEN_USAGE;
/** `gen_ai.server.time_to_first_token` histogram (s). */
export const METRIC_GEN_AI_SERVER_TIME_TO_FIRST_TOKEN = SC_SERVER_TIME_TO_FIRST_TOKEN;
/** `gen_ai.server.request.duration` histogram (s). */
export const METRIC_GEN_AI_SERVER_REQUEST_DURATION = SC_SERVER_REQUEST_DURATION;
/** `gen_ai.server.time_per_output_token` histogram (s). */
export const METRIC_GEN_AI_SERVER_TIME_PER_OUTPUT_TOKEN = SC_SERVER_TIME_PER_OUTPUT_TOKEN;
/** `gen_ai.client.finish_reasons` counter, dimension `gen_ai.response.finish_reason` (to11). */
export const METRIC_GEN_AI_CLIENT_FINISH_REASONS = 'gen_ai.client.finish_reasons';
/** `gen_ai.client.errors` counter, dimension `error.type` (to11). */
export const METRIC_GEN_AI_CLIENT_ERRORS = 'gen_ai.client.errors';
/** `gen_ai.response.finish_reason`: the singular metric dimension (to11). */
export const ATTR_GEN_AI_RESPONSE_FINISH_REASON = 'gen_ai.response.finish_reason';

/** Buckets (s) for `gen_ai.client.operation.duration` and `gen_ai.server.request.duration`. */
export const GEN_AI_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
]);

/** Buckets ({token}) for `gen_ai.client.token.usage`. */
export const GEN_AI_TOKEN_USAGE_BUCKETS: readonly number[] = Object.freeze([
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
]);

/** Buckets (s) for `gen_ai.server.time_to_first_token`. */
export const GEN_AI_TIME_TO_FIRST_TOKEN_BUCKETS: readonly number[] = Object.freeze([
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
]);

/** Buckets (s) for `gen_ai.server.time_per_output_token`. */
export const GEN_AI_TIME_PER_OUTPUT_TOKEN_BUCKETS: readonly number[] = Object.freeze([
  0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5,
]);
