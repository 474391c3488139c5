import { describe, expect, it } from 'vitest';
import { OPENAI_CHAT_STREAM as RECORDED } from '../../../test/openai-recording.ts';
import { replayEverySplit, replayWhole } from '../../../test/sse-replay.ts';
import { OpenAIChatStreamAccumulator } from './chat-stream.ts';

describe('OpenAIChatStreamAccumulator', () => {
  it('accumulates text, tool calls, finish reason and usage', () => {
    const whole = replayWhole(RECORDED, { accumulator: new OpenAIChatStreamAccumulator() });
    expect(whole.outcome).toBe('complete');
    expect(whole.text).toBe(RECORDED);
    expect(whole.result).toEqual({
      id: 'chatcmpl-9',
      model: 'gpt-4o',
      finishReasons: ['tool_calls'],
      usage: { inputTokens: 12, outputTokens: 8, cacheReadTokens: 2, reasoningTokens: undefined },
      output: [
        {
          role: 'assistant',
          parts: [
            { type: 'text', content: 'Héllo wörld 👋' },
            { type: 'tool_call', id: 'call_7', name: 'get_weather', arguments: { city: 'Oslo' } },
          ],
          finish_reason: 'tool_calls',
        },
      ],
      toolCalls: [{ id: 'call_7', name: 'get_weather', arguments: '{"city":"Oslo"}' }],
    });
  });

  it('gives the same result and bytes whatever byte boundary splits the stream', () => {
    const { differing } = replayEverySplit(RECORDED, () => ({
      accumulator: new OpenAIChatStreamAccumulator(),
    }));
    expect(differing).toEqual([]);
  });

  it('drops only the usage-only chunk in filter mode, at every split', () => {
    const { whole, differing } = replayEverySplit(
      RECORDED,
      () => ({ accumulator: new OpenAIChatStreamAccumulator() }),
      'filter',
    );
    expect(whole.text).not.toContain('"usage"');
    expect(whole.text).toContain('"Héllo "');
    expect(whole.text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(differing).toEqual([]);
  });

  it('reports an error chunk and a missing [DONE] as not complete', () => {
    const accumulator = new OpenAIChatStreamAccumulator();
    accumulator.onEvent(
      { data: '{"error":{"message":"overloaded"}}', event: undefined, id: undefined },
      1n,
    );
    expect(accumulator.upstreamError).toBe('overloaded');
    expect(accumulator.complete).toBe(false);
  });

  it('relays an event that is not JSON but ends the stream as an upstream error', () => {
    const stream =
      'data: {"id":"x","choices":[{"delta":{"content":"half"\n\n' +
      'data: {"id":"x","choices":[{"index":0,"delta":{"content":"ok"}}]}\n\n' +
      'data: \n\ndata: [DONE]\n\n';
    const whole = replayWhole(stream, { accumulator: new OpenAIChatStreamAccumulator() });
    expect(whole.text).toBe(stream);
    expect(whole.outcome).toBe('upstream_error');
    const blank = replayWhole('data: \n\ndata: [DONE]\n\n', {
      accumulator: new OpenAIChatStreamAccumulator(),
    });
    expect(blank.outcome).toBe('complete');
  });
});
