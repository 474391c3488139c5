/**
 * The ten GenAI operation names of SPEC §5 (`gen_ai.operation.name` values).
 */

/** Every operation a to11 GenAI span can carry, gateway-native first. */
export const GEN_AI_OPERATION_NAMES = [
  'chat',
  'generate_content',
  'embeddings',
  'image_generation',
  'audio_speech',
  'audio_transcription',
  'execute_tool',
  'retrieval',
  'invoke_agent',
  'create_agent',
] as const;

/** A `gen_ai.operation.name` value. */
export type GenAiOperationName = (typeof GEN_AI_OPERATION_NAMES)[number];

/** Operations a client declares with `x-to11-context-operation` (reference §3.4). */
export const CLIENT_CONTEXT_OPERATIONS = [
  'execute_tool',
  'retrieval',
  'invoke_agent',
  'create_agent',
] as const satisfies readonly GenAiOperationName[];

/** A client-declared operation. */
export type ClientContextOperation = (typeof CLIENT_CONTEXT_OPERATIONS)[number];

/** True when `value` is one of {@link GEN_AI_OPERATION_NAMES}. */
export function isGenAiOperationName(value: unknown): value is GenAiOperationName {
  return (GEN_AI_OPERATION_NAMES as readonly unknown[]).includes(value);
}

/** True when `value` is one of {@link CLIENT_CONTEXT_OPERATIONS}. */
export function isClientContextOperation(value: unknown): value is ClientContextOperation {
  return (CLIENT_CONTEXT_OPERATIONS as readonly unknown[]).includes(value);
}
