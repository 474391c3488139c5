/**
 * Span names of the gateway's GenAI and tool-call spans (to11 reference §4.2, SPEC §5).
 */

/**
 * The GenAI span name `{operation} {model}` (e.g. `chat gpt-4o`); just the operation when the
 * model is absent or empty.
 */
export function genAiSpanName(operation: string, model?: string | null): string {
  return model ? `${operation} ${model}` : operation;
}

/** The name of the child span for a tool call in the model's answer: `tool_call.<fn>`. */
export function toolCallSpanName(functionName: string): string {
  return `tool_call.${functionName}`;
}
