import { describe, expect, it } from 'vitest';
import { toAnthropicStop, toOpenAIFinish } from './stop-reasons.ts';

describe('stop reasons', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['pause_turn', 'stop'],
    ['max_tokens', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['something_new', 'stop'],
    [undefined, null],
  ])('Anthropic %s is OpenAI %s', (reason, expected) => {
    expect(toOpenAIFinish(reason)).toBe(expected);
  });

  it.each([
    ['stop', 'end_turn'],
    ['length', 'max_tokens'],
    ['tool_calls', 'tool_use'],
    ['function_call', 'tool_use'],
    ['content_filter', 'refusal'],
    ['something_new', 'end_turn'],
    [undefined, null],
  ])('OpenAI %s is Anthropic %s', (reason, expected) => {
    expect(toAnthropicStop(reason)).toBe(expected);
  });
});
