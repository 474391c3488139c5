/**
 * Finish-reason mapping between the OpenAI and Anthropic wire formats (cross-format calls).
 */

const TO_OPENAI: Record<string, string> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

const TO_ANTHROPIC: Record<string, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
  content_filter: 'refusal',
};

/** An Anthropic `stop_reason` as an OpenAI `finish_reason`. */
export function toOpenAIFinish(reason: string | undefined): string | null {
  return reason ? (TO_OPENAI[reason] ?? 'stop') : null;
}

/** An OpenAI `finish_reason` as an Anthropic `stop_reason`. */
export function toAnthropicStop(reason: string | undefined): string | null {
  return reason ? (TO_ANTHROPIC[reason] ?? 'end_turn') : null;
}
