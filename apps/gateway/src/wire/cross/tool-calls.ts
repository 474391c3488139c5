/**
 * One tool call in the other format's shape, for requests and responses alike: an Anthropic
 * `tool_use` block as an OpenAI `tool_calls` entry, and the reverse.
 */
import { asObject, asString, type JsonObject, parseToolArguments } from '../json-fields.ts';

/** An Anthropic `tool_use` block as an OpenAI tool call (arguments as JSON text). */
export function toOpenAIToolCall(block: JsonObject): JsonObject {
  return {
    id: asString(block.id) ?? '',
    type: 'function',
    function: {
      name: asString(block.name) ?? '',
      arguments: JSON.stringify(block.input ?? {}),
    },
  };
}

/** An OpenAI tool call as an Anthropic `tool_use` block (arguments parsed; `{}` if not an object). */
export function toAnthropicToolUse(call: JsonObject | undefined): JsonObject {
  const fn = asObject(call?.function);
  const input = typeof fn?.arguments === 'string' ? parseToolArguments(fn.arguments) : {};
  return {
    type: 'tool_use',
    id: asString(call?.id) ?? '',
    name: asString(fn?.name) ?? '',
    input: asObject(input) ?? {},
  };
}
