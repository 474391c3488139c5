import { describe, expect, it } from 'vitest';
import { ANTHROPIC_STREAM } from '../../../test/anthropic-recording.ts';
import { replayEverySplit, replayWhole } from '../../../test/sse-replay.ts';
import { AnthropicStreamAccumulator } from './stream.ts';

describe('AnthropicStreamAccumulator', () => {
  it('accumulates text and tool_use blocks, stop reason and usage', () => {
    const whole = replayWhole(ANTHROPIC_STREAM, { accumulator: new AnthropicStreamAccumulator() });
    expect(whole.outcome).toBe('complete');
    expect(whole.text).toBe(ANTHROPIC_STREAM);
    expect(whole.result).toEqual({
      id: 'msg_01',
      model: 'claude-sonnet-4-5',
      finishReasons: ['tool_use'],
      usage: { inputTokens: 24, outputTokens: 15, cacheReadTokens: 4, cacheWriteTokens: undefined },
      output: [
        {
          role: 'assistant',
          parts: [
            { type: 'text', content: 'Grüß dich 🌍' },
            { type: 'tool_call', id: 'toolu_9', name: 'lookup', arguments: { term: 'Straße' } },
          ],
          finish_reason: 'tool_use',
        },
      ],
      toolCalls: [{ id: 'toolu_9', name: 'lookup', arguments: '{"term":"Straße"}' }],
    });
  });

  it('gives the same result whatever byte boundary splits the stream', () => {
    const { differing } = replayEverySplit(ANTHROPIC_STREAM, () => ({
      accumulator: new AnthropicStreamAccumulator(),
    }));
    expect(differing).toEqual([]);
  });

  it('reports a stream cut before message_stop', () => {
    const cut = ANTHROPIC_STREAM.slice(0, ANTHROPIC_STREAM.indexOf('event: message_delta'));
    const whole = replayWhole(cut, { accumulator: new AnthropicStreamAccumulator() });
    expect(whole.outcome).toBe('cut');
    expect(
      whole.text.endsWith('data: {"error":{"message":"upstream stream ended early"}}\n\n'),
    ).toBe(true);
  });

  it('reports an in-stream error event', () => {
    const text =
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n';
    const whole = replayWhole(text, { accumulator: new AnthropicStreamAccumulator() });
    expect(whole.outcome).toBe('upstream_error');
  });
});
